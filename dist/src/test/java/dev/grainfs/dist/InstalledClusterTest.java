package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The .deb installed with dpkg into a throwaway root, then a cluster run from it exactly as the units run it:
 * the master and chunkservers @1, @2, @3 from their ExecStart lines as user grainfs, a put and get through
 * the installed command, `mount MOUNTPOINT` from an fstab line through the installed helper, SIGTERM,
 * and dpkg remove and purge keeping the data. Steps run in order on one cluster.
 *
 * <p>Tagged "deb": runs after the package phase, in `mvn verify` (dist/pom.xml, execution deb-tests).
 */
@Tag("deb")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InstalledClusterTest {
    InstalledRoot inst;
    Path work;
    GrainfsProcess master;
    final List<GrainfsProcess> chunkservers = new ArrayList<>();

    @BeforeAll
    void install() throws Exception {
        assumeTrue(InstalledRoot.runningAsRoot(), "needs root: dpkg --root installs, daemons run as user grainfs");
        assumeTrue(Exec.onPath("dpkg") && Exec.onPath("setpriv"), "needs dpkg and setpriv (Debian)");
        inst = InstalledRoot.install(InstalledRoot.builtDeb(), InstalledRoot.newRootDir());
        // daemon logs (their journal) and test files stay in target/ for a look after a failure
        work = Path.of("target", "installed-cluster").toAbsolutePath();
        Exec.run("rm", "-rf", work.toString());
        Files.createDirectories(work);
    }

    @AfterAll
    void cleanUp() throws Exception {
        for (GrainfsProcess p : chunkservers) {
            p.close();
        }
        if (master != null) {
            master.close();
        }
        if (inst != null) {
            inst.delete();
        }
    }

    @Test
    @Order(1)
    void postinstCreatedTheUserAndTheDataDirectories() throws Exception {
        assertTrue(Exec.run("getent", "passwd", "grainfs").out().contains("/usr/sbin/nologin"));
        Path data = inst.path("/var/lib/grainfs");
        assertEquals("grainfs", Files.getOwner(data).getName());
        assertEquals("grainfs", Files.getOwner(inst.path("/var/lib/grainfs/meta")).getName());
        assertEquals("rwxr-x---", perms(data));
        assertEquals("grainfs", Files.readAttributes(inst.path("/etc/grainfs/master.conf"),
                java.nio.file.attribute.PosixFileAttributes.class).group().getName());
    }

    @Test
    @Order(2)
    void masterAndThreeChunkserversStartFromTheirUnits() throws Exception {
        // operator's edits (docs/operations.md, "First start"), plus port 0 so tests never collide
        inst.setKey("/etc/grainfs/master.conf", "meta-dir", inst.path("/var/lib/grainfs/meta").toString());
        inst.setKey("/etc/grainfs/master.conf", "port", "0");
        inst.setKey("/etc/grainfs/master.conf", "chunk-size", "1m");
        master = inst.start("grainfs-master.service", null, work.resolve("master.log"));
        String addr = master.address();
        for (int i = 1; i <= 3; i++) {
            String conf = "/etc/grainfs/chunkserver-" + i + ".conf";
            if (i > 1) {
                // cp -p keeps the group (grainfs) and mode (0640) the daemon needs to read it
                Exec.Result cp = Exec.run("cp", "-p", inst.path("/etc/grainfs/chunkserver-1.conf").toString(),
                        inst.path(conf).toString());
                assertEquals(0, cp.exit(), cp.output());
            }
            inst.setKey(conf, "master", addr);
            inst.setKey(conf, "data-dir", inst.path("/var/lib/grainfs/chunkserver-" + i).toString());
            inst.setKey(conf, "port", "0");
        }
        // the three start at once, as systemd starts them at boot
        List<java.util.concurrent.CompletableFuture<GrainfsProcess>> starting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String instance = String.valueOf(i);
            starting.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return inst.start("grainfs-chunkserver@.service", instance,
                            work.resolve("chunkserver-" + instance + ".log"));
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            }));
        }
        RuntimeException failed = null;
        for (var f : starting) {
            try {
                chunkservers.add(f.join()); // every one that started is stopped in cleanUp, even if another failed
            } catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null) {
            throw failed;
        }
        int uid = (Integer) Files.getAttribute(inst.path("/var/lib/grainfs"), "unix:uid");
        for (GrainfsProcess p : chunkservers) {
            assertEquals(uid, processUid(p.process.pid()), "chunkserver runs as grainfs");
        }
        assertEquals(uid, processUid(master.process.pid()), "master runs as grainfs");

        long deadline = System.currentTimeMillis() + 30_000;
        String df = "";
        while (System.currentTimeMillis() < deadline && !df.contains("\"live_servers\": 3")) {
            df = inst.grainfs("--master", addr, "df", "--json").out();
            Thread.sleep(200);
        }
        assertTrue(df.contains("\"live_servers\": 3"), df);
    }

    @Test
    @Order(3)
    void putAndGetThroughTheInstalledCommand() throws Exception {
        assertNotNull(master, "cluster did not start");
        Path src = work.resolve("src");
        CliProcessTest.randomFile(src, 5L << 20, 8);
        Exec.Result mkdir = inst.grainfs("--master", master.address(), "mkdir", "-p", "/deb");
        assertEquals(0, mkdir.exit(), mkdir.output());
        Exec.Result put = inst.grainfs("--master", master.address(), "put", src.toString(), "/deb/src");
        assertEquals(0, put.exit(), put.output());
        Path back = work.resolve("back");
        Exec.Result get = inst.grainfs("--master", master.address(), "get", "/deb/src", back.toString());
        assertEquals(0, get.exit(), get.output());
        assertArrayEquals(CliProcessTest.sha(src), CliProcessTest.sha(back));
        // 5 chunks of 1 MiB, 3 replicas each, as files owned by grainfs under the data dirs
        List<Path> chunks = chunkFiles();
        assertEquals(15, chunks.size(), chunks.toString());
        for (Path c : chunks) {
            assertEquals("grainfs", Files.getOwner(c).getName(), c.toString());
        }
    }

    /**
     * The operator's step (docs/operations.md, "First start", step 6): an fstab line and `mount MOUNTPOINT`,
     * mount(8) finding the installed helper as /sbin/mount.fuse.grainfs. mount(8) looks for helpers only in
     * /sbin, so this runs in a private mount namespace (unshare -m) where a copy of /usr/sbin (/sbin on
     * merged-/usr Debian) with the installed helper linked in is bind-mounted over it; the real root is never
     * touched. The mount is visible only in that namespace, so the script also copies a file through it,
     * scrapes the mount's /metrics (metrics_port from the fstab options) and unmounts.
     */
    static final String FSTAB_MOUNT = """
            set -eu
            root=$1 mnt=$2 src=$3 log=$4
            sbin=$(mktemp -d)
            trap 'rm -rf "$sbin"' EXIT
            cp -a /usr/sbin/. "$sbin/"
            ln -s "$root/sbin/mount.fuse.grainfs" "$sbin/mount.fuse.grainfs"
            mount --bind "$sbin" /usr/sbin
            mount --fstab "$root/etc/fstab" "$mnt"
            trap 'umount -l "$mnt" 2>/dev/null || true; rm -rf "$sbin"' EXIT  # a failed step still ends the mount
            running() { pgrep -f -- "^[^ ]*java .*Main mount --master [^ ]* $mnt"'( |$)' >/dev/null; }
            running || { echo "no mount process found" >&2; exit 1; }
            umount /usr/sbin
            rm -rf "$sbin"
            echo "type $(findmnt -n -o FSTYPE "$mnt")"
            cp "$src" "$mnt/deb/copied"
            sha256sum "$src" "$mnt/deb/copied" "$mnt/deb/src"
            metrics=$(sed -n 's/^metrics on //p' "$log" | tail -n 1)
            curl -sf "http://$metrics/metrics" | grep '^grainfs_mount_written_bytes_total'
            umount "$mnt"
            i=0
            while running && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
            ! running || { echo "mount process still running" >&2; exit 1; }
            echo unmounted
            """;

    @Test
    @Order(4)
    void fstabLineMountsThroughTheInstalledHelper() throws Exception {
        assertNotNull(master, "cluster did not start");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "no /dev/fuse on this machine");
        assumeTrue(Exec.onPath("unshare") && Exec.onPath("curl"), "needs unshare (util-linux) and curl");
        assertEquals("/sbin/mount.fuse.grainfs", "/" + inst.root.relativize(inst.path("/sbin/mount.fuse.grainfs")),
                "the package installs the helper where mount(8) looks");
        Path mnt = inst.path("/mnt/grainfs");
        Files.createDirectories(mnt);
        Files.writeString(inst.path("/etc/fstab"), "grainfs#" + master.address() + "  " + mnt
                + "  fuse.grainfs  defaults,_netdev,metrics_port=127.0.0.1:0  0 0\n");
        Path src = work.resolve("copied-in");
        CliProcessTest.randomFile(src, 3L << 20, 9);
        Path log = work.resolve("mount.log");
        ProcessBuilder pb = new ProcessBuilder("unshare", "--mount", "--propagation", "private", "sh", "-c",
                FSTAB_MOUNT, "fstab-mount", inst.root.toString(), mnt.toString(), src.toString(), log.toString());
        pb.environment().put("GRAINFS_BIN", inst.path("/usr/bin/grainfs").toString());
        pb.environment().put("GRAINFS_MOUNT_LOG", log.toString());
        pb.environment().put("PATH", InstalledRoot.SYSTEMD_PATH);
        Exec.Result r = Exec.run(pb, 300);
        assertEquals(0, r.exit(), r.output() + readIfExists(log));
        assertTrue(r.out().contains("type fuse.grainfs"), r.out());
        List<String> sums = r.out().lines().filter(l -> l.matches("[0-9a-f]{64}  .*")).map(l -> l.substring(0, 64))
                .toList();
        assertEquals(3, sums.size(), r.out());
        assertEquals(sums.get(0), sums.get(1), "cp through the mount: " + r.out());
        assertArrayEquals(CliProcessTest.sha(work.resolve("src")), java.util.HexFormat.of().parseHex(sums.get(2)),
                "the file put earlier reads back through the mount");
        String written = r.out().lines().filter(l -> l.startsWith("grainfs_mount_written_bytes_total")).findFirst()
                .orElseThrow(() -> new AssertionError("no mount metrics: " + r.out()));
        assertTrue(Double.parseDouble(written.split(" ")[1]) >= 3 << 20, written);
        assertTrue(r.out().contains("unmounted"), r.out());
        Path back = work.resolve("copied-back");
        Exec.Result get = inst.grainfs("--master", master.address(), "get", "/deb/copied", back.toString());
        assertEquals(0, get.exit(), get.output());
        assertArrayEquals(CliProcessTest.sha(src), CliProcessTest.sha(back), "the copy is in the cluster after umount");
    }

    @Test
    @Order(5)
    void sigtermStopsEveryDaemonWithExitZero() throws Exception {
        assertNotNull(master, "cluster did not start");
        for (GrainfsProcess p : chunkservers) {
            assertEquals(0, p.terminate(), "chunkserver exit code after SIGTERM");
        }
        assertEquals(0, master.terminate(), "master exit code after SIGTERM");
    }

    @Test
    @Order(6)
    void removeKeepsConfigAndDataPurgeKeepsData() throws Exception {
        List<Path> chunks = chunkFiles();
        inst.dpkg("--remove", "grainfs");
        assertFalse(Files.exists(inst.path("/usr/bin/grainfs")));
        assertFalse(Files.exists(inst.path("/lib/systemd/system/grainfs-master.service")));
        assertTrue(Files.exists(inst.path("/etc/grainfs/master.conf")), "remove keeps the configuration");
        assertEquals(chunks, chunkFiles(), "remove keeps the chunks");

        Files.writeString(inst.path("/etc/grainfs/cluster.key"), "an operator's file\n");
        inst.dpkg("--purge", "grainfs");
        assertFalse(Files.exists(inst.path("/etc/grainfs/master.conf")), "purge deletes the configuration");
        assertFalse(Files.exists(inst.path("/etc/default/grainfs")));
        assertTrue(Files.exists(inst.path("/etc/grainfs/cluster.key")), "but not the operator's own files");
        assertEquals(chunks, chunkFiles(), "purge keeps the chunks");
        try (Stream<Path> s = Files.list(inst.path("/var/lib/grainfs/meta"))) {
            assertTrue(s.anyMatch(p -> p.getFileName().toString().endsWith(".wal")), "purge keeps the meta dir");
        }
    }

    private List<Path> chunkFiles() throws Exception {
        try (Stream<Path> s = Files.walk(inst.path("/var/lib/grainfs"))) {
            return s.filter(p -> p.toString().endsWith(".chunk")).sorted().toList();
        }
    }

    private static int processUid(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("no Uid in /proc/" + pid + "/status");
    }

    private static String perms(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static String readIfExists(Path p) throws Exception {
        return Files.exists(p) ? Files.readString(p) : "";
    }
}
