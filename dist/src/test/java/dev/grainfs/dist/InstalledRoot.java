package dev.grainfs.dist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The built .deb installed by dpkg into a throwaway root (dpkg --root with the maintainer scripts run on
 * this machine against $DPKG_ROOT, so the grainfs user is created here as a real install would), and its
 * units' ExecStart run the way systemd would run them: the unit's User=, environment, UMask= and
 * LimitNOFILE=, every absolute path taken inside the root.
 */
final class InstalledRoot {
    /** systemd's PATH for system services */
    static final String SYSTEMD_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    final Path root;

    private InstalledRoot(Path root) {
        this.root = root;
    }

    /** target/grainfs_VERSION_all.deb, built by the package phase. */
    static Path builtDeb() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            return s.filter(p -> p.getFileName().toString().matches("grainfs_.*_all\\.deb"))
                    .max(Comparator.comparing(p -> p.toFile().lastModified()))
                    .orElseThrow(() -> new IllegalStateException(
                            "no target/grainfs_*_all.deb: run through `mvn verify` (the package phase builds it)"));
        }
    }

    static boolean runningAsRoot() throws IOException {
        return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    }

    /** A new root directory that other users may traverse (the daemons run as grainfs). */
    static Path newRootDir() throws IOException {
        Path dir = Files.createTempDirectory("pkgroot-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** dpkg --root=DIR -i DEB, dependencies not checked (they are this machine's, not the empty root's). */
    static InstalledRoot install(Path deb, Path dir) throws Exception {
        Files.createDirectories(dir.resolve("var/lib/dpkg/info"));
        Files.createDirectories(dir.resolve("var/lib/dpkg/updates"));
        Files.write(dir.resolve("var/lib/dpkg/status"), new byte[0]);
        InstalledRoot r = new InstalledRoot(dir);
        r.dpkg("-i", deb.toAbsolutePath().toString());
        return r;
    }

    Exec.Result dpkg(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless",
                "--force-depends", "--force-unsafe-io"));
        cmd.addAll(List.of(args));
        Exec.Result r = Exec.run(cmd);
        if (r.exit() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + r.output());
        }
        return r;
    }

    /** An absolute path of the installed system, inside the root. */
    Path path(String absolute) {
        return root.resolve(absolute.substring(1));
    }

    SystemdUnit unit(String file) throws IOException {
        return SystemdUnit.read(path("/lib/systemd/system/" + file));
    }

    /** Sets key=value in a config file as an operator would: the line replaced, or added. */
    void setKey(String file, String key, String value) throws IOException {
        Path p = path(file);
        List<String> lines = new ArrayList<>(Files.readAllLines(p));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).matches("#?\\s*" + java.util.regex.Pattern.quote(key) + "\\s*=.*")) {
                lines.set(i, key + "=" + value);
                found = true;
                break;
            }
        }
        if (!found) {
            lines.add(key + "=" + value);
        }
        Files.write(p, lines);
    }

    /** The environment systemd gives the unit: its PATH, the User='s identity, then the unit's own. */
    Map<String, String> environment(SystemdUnit unit, String instance) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", SYSTEMD_PATH);
        env.put("LANG", "C.UTF-8");
        String user = unit.get("User");
        if (user != null) {
            String[] pw = Exec.run("getent", "passwd", user).out().strip().split(":");
            env.put("USER", user);
            env.put("LOGNAME", user);
            env.put("HOME", pw.length > 5 ? pw[5] : "/");
            env.put("SHELL", pw.length > 6 ? pw[6] : "/bin/sh");
        }
        env.putAll(unit.environment(instance, this::path));
        return env;
    }

    /**
     * The argument vector for the unit's ExecStart: absolute paths inside the root, wrapped in prlimit
     * (LimitNOFILE=), setpriv (User=, Group=, NoNewPrivileges=, an empty CapabilityBoundingSet=) and a
     * shell that sets UMask= and execs, so the process id is the daemon's.
     */
    List<String> command(SystemdUnit unit, String instance, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        String nofile = unit.get("LimitNOFILE");
        if (nofile != null) {
            // systemd (pid 1) may raise the hard limit; a test only up to its own (a container's may be lower)
            long n = Math.min(Long.parseLong(nofile), hardOpenFilesLimit());
            cmd.addAll(List.of("prlimit", "--nofile=" + n + ":" + n, "--"));
        }
        String user = unit.get("User");
        if (user != null && !user.equals("root") && runningAsRoot()) {
            String group = unit.get("Group") == null ? user : unit.get("Group");
            cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + group, "--init-groups"));
            if ("yes".equals(unit.get("NoNewPrivileges"))) {
                cmd.add("--no-new-privs");
            }
            if ("".equals(unit.get("CapabilityBoundingSet"))) {
                cmd.addAll(List.of("--bounding-set=-all", "--inh-caps=-all"));
            }
            cmd.add("--");
        }
        if (unit.get("UMask") != null) {
            cmd.addAll(List.of("/bin/sh", "-c", "umask " + unit.get("UMask") + " && exec \"$0\" \"$@\""));
        }
        for (String word : unit.execStart(instance, env)) {
            cmd.add(word.startsWith("/") ? path(word).toString() : word);
        }
        return cmd;
    }

    private static long hardOpenFilesLimit() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
            if (line.startsWith("Max open files")) {
                String hard = line.substring("Max open files".length()).trim().split("\\s+")[1];
                return hard.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(hard);
            }
        }
        return Long.MAX_VALUE;
    }

    /** Starts the unit's ExecStart and waits for its "listening on" line; stderr (the journal) goes to log. */
    GrainfsProcess start(String unitFile, String instance, Path log) throws Exception {
        SystemdUnit unit = unit(unitFile);
        Map<String, String> env = environment(unit, instance);
        ProcessBuilder pb = new ProcessBuilder(command(unit, instance, env)).directory(Path.of("/").toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        String name = instance == null ? unitFile : unitFile.replace("@", "@" + instance);
        try {
            return GrainfsProcess.daemon(pb, log, name);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "\n" + String.join(" ", pb.command()) + "\n"
                    + (Files.exists(log) ? Files.readString(log) : ""), e);
        }
    }

    /** The installed /usr/bin/grainfs run by an operator (this process's user), e.g. a put or a get. */
    Exec.Result grainfs(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(path("/usr/bin/grainfs").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("PATH", SYSTEMD_PATH);
        pb.environment().remove("GRAINFS_MASTER");
        return Exec.run(pb, 300);
    }

    /** Deletes the root directory (data written by the daemons included). */
    void delete() throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
