package dev.grainfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every failing POSIX call gets the errno Linux's own file systems give: the same script of
 * calls runs on the local disk (ext4 here) and on the mount, root's cases as root and the
 * permission cases as nobody, and the answers must match except where GrainFS documents that it
 * differs (no hard links, no special files, no extended attributes). Writes the table to
 * target/posix-errors.md (docs/posix-errors.md is that table).
 */
@Tag("fuse")
class FuseErrnoTest {
    /** case -> {local answer, mount answer}: the documented differences. */
    static final Map<String, List<String>> DIFFERENT = Map.of(
            "hard_link", List.of("OK", "EPERM"),
            "mkfifo", List.of("OK", "EPERM"),
            "setxattr", List.of("OK", "ENOTSUP"),
            "getxattr_absent", List.of("ENODATA", "ENOTSUP"));

    @TempDir
    Path tmp;

    @Test
    void failingCallsGetTheErrnoLinuxGives() throws Exception {
        try (MountedCluster m = MountedCluster.start(tmp.resolve("c"), "")) {
            Path script = tmp.resolve("posix_errors.py");
            try (var in = Objects.requireNonNull(getClass().getResourceAsStream("/fuse/posix_errors.py"))) {
                Files.write(script, in.readAllBytes());
            }
            Path local = tmp.resolve("local");
            MountedCluster.openUp(local);
            Path onMount = m.mnt.resolve("errno");
            Map<String, String[]> localRun = run(m, script, local, m.mnt);
            Map<String, String[]> mountRun = run(m, script, onMount, local);

            List<String> mismatches = new ArrayList<>();
            StringBuilder table = new StringBuilder("| call | Linux (ext4) | GrainFS mount |\n|---|---|---|\n");
            for (var e : localRun.entrySet()) {
                String name = e.getKey();
                String want = e.getValue()[0];
                String got = mountRun.get(name)[0];
                List<String> documented = DIFFERENT.get(name);
                boolean ok = documented == null ? want.equals(got) : documented.equals(List.of(want, got));
                if (!ok) {
                    mismatches.add(name + ": local " + want + ", mount " + got);
                }
                table.append("| ").append(e.getValue()[1].replace("|", "\\|")).append(" | ").append(want).append(" | ").append(got)
                        .append(documented == null ? "" : " (by design)").append(" |\n");
            }
            Path out = Path.of("target", "posix-errors.md");
            Files.createDirectories(out.getParent());
            Files.writeString(out, table);
            assertEquals(List.of(), mismatches, table.toString());
        }
    }

    /** Sets up the fixtures as root, then runs root's cases as root and the permission cases as nobody. */
    private static Map<String, String[]> run(MountedCluster m, Path script, Path dir, Path otherFs) throws Exception {
        String py = MountedCluster.PYTHON + " " + script + " ";
        m.sh("mkdir -p " + dir + " && " + py + "setup " + dir).ok();
        String out = m.sh(py + "root " + dir + " " + otherFs).ok().out() + m.asNobody(py + "user " + dir + " " + otherFs).ok().out();
        Map<String, String[]> results = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 3) {
                results.put(f[0], new String[] {f[1], f[2]});
            }
        }
        return results;
    }
}
