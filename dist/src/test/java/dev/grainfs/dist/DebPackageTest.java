package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The built .deb unpacked (dpkg-deb -x): its fields and files, its units as systemd sees them, its scripts.
 *
 * <p>Tagged "deb": runs after the package phase, in `mvn verify` (dist/pom.xml, execution deb-tests).
 */
@Tag("deb")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebPackageTest {
    static final List<String> UNITS = List.of("grainfs-master.service", "grainfs-shadow.service",
            "grainfs-chunkserver@.service", "grainfs-mount@.service");
    static final List<String> DAEMON_UNITS = UNITS.subList(0, 3);

    Path deb;
    Path root;

    @BeforeAll
    void unpack() throws Exception {
        deb = InstalledRoot.builtDeb();
        root = Files.createTempDirectory("debroot-");
        // systemd-analyze --root needs the system's own units (sysinit.target ...) inside the root; ours on top
        Path units = root.resolve("lib/systemd/system");
        Files.createDirectories(units);
        Path hostUnits = Files.isDirectory(Path.of("/usr/lib/systemd/system")) ? Path.of("/usr/lib/systemd/system")
                : Path.of("/lib/systemd/system");
        if (Files.isDirectory(hostUnits)) {
            assertEquals(0, Exec.run("cp", "-a", hostUnits + "/.", units.toString()).exit());
        }
        Exec.Result x = Exec.run("dpkg-deb", "-x", deb.toString(), root.toString());
        assertEquals(0, x.exit(), x.output());
    }

    @AfterAll
    void cleanUp() throws Exception {
        Exec.run("rm", "-rf", root.toString());
    }

    @Test
    void packageDependsOnJava17FuseAndLibfuse2AndShipsTheInstall() throws Exception {
        Exec.Result f = Exec.run("dpkg-deb", "-f", deb.toString(), "Package", "Architecture", "Depends");
        assertEquals(0, f.exit(), f.output());
        assertTrue(f.out().contains("Package: grainfs"), f.out());
        assertTrue(f.out().contains("Architecture: all"), f.out());
        assertTrue(f.out().contains("openjdk-17-jre-headless | java17-runtime-headless"), f.out());
        assertTrue(f.out().matches("(?s).*Depends:.*\\bfuse\\b.*\\blibfuse2\\b.*"), f.out());

        for (String file : List.of("usr/bin/grainfs", "usr/lib/grainfs/grainfs.jar", "sbin/mount.fuse.grainfs",
                "etc/default/grainfs", "etc/grainfs/master.conf", "etc/grainfs/shadow.conf",
                "etc/grainfs/chunkserver-1.conf", "usr/share/doc/grainfs/operations.md",
                "usr/share/doc/grainfs/configuration.md")) {
            assertTrue(Files.isRegularFile(root.resolve(file)), file);
        }
        for (String unit : UNITS) {
            assertTrue(Files.isRegularFile(root.resolve("lib/systemd/system/" + unit)), unit);
        }
        assertTrue(Files.isExecutable(root.resolve("usr/bin/grainfs")));
        assertTrue(Files.isExecutable(root.resolve("sbin/mount.fuse.grainfs")));

        Exec.Result conffiles = Exec.run("dpkg-deb", "-I", deb.toString(), "conffiles");
        for (String c : List.of("/etc/default/grainfs", "/etc/grainfs/master.conf", "/etc/grainfs/shadow.conf",
                "/etc/grainfs/chunkserver-1.conf")) {
            assertTrue(conffiles.out().contains(c), "conffile " + c + ": " + conffiles.out());
        }
    }

    @Test
    void everyUnitPassesSystemdAnalyzeVerify() throws Exception {
        assertTrue(Exec.onPath("systemd-analyze"),
                "systemd-analyze is missing: install the systemd package (./run-tests does, as root)");
        for (String unit : UNITS) {
            String name = unit.replace("@.service", "@" + (unit.contains("mount") ? "mnt-grainfs" : "1") + ".service");
            Exec.Result v = Exec.run("systemd-analyze", "verify", "--man=no", "--root=" + root, name);
            assertEquals(0, v.exit(), name + ": " + v.output());
            assertFalse(v.output().contains("grainfs"), name + ": " + v.output());
        }
    }

    @Test
    void daemonUnitsAreHardenedAndRestartAndStopGracefully() throws Exception {
        for (String file : DAEMON_UNITS) {
            SystemdUnit u = SystemdUnit.read(root.resolve("lib/systemd/system/" + file));
            assertEquals("grainfs", u.get("User"), file);
            assertEquals("on-failure", u.get("Restart"), file);
            assertNotNull(u.get("LimitNOFILE"), file);
            assertTrue(Integer.parseInt(u.get("TimeoutStopSec")) >= 60, file);
            assertTrue(u.get("Unit", "After").contains("network-online.target"), file);
            assertTrue(u.get("Unit", "Wants").contains("network-online.target"), file);
            assertEquals("strict", u.get("ProtectSystem"), file);
            assertTrue(u.get("ReadWritePaths").contains("/var/lib/grainfs"), file);
            for (String yes : List.of("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices")) {
                assertEquals("yes", u.get(yes), file + " " + yes);
            }
            assertEquals("-/etc/default/grainfs", u.get("EnvironmentFile"), file);
            assertTrue(u.get("ExecStart").startsWith("/usr/bin/grainfs "), file);
            assertTrue(u.get("ExecStart").contains("--config /etc/grainfs/"), file);
        }
        // a FUSE mount has to land in the host's mount namespace: nothing that would give the unit its own
        SystemdUnit mount = SystemdUnit.read(root.resolve("lib/systemd/system/grainfs-mount@.service"));
        for (String ns : List.of("ProtectSystem", "ProtectHome", "PrivateTmp", "PrivateDevices", "ReadWritePaths",
                "ReadOnlyPaths", "TemporaryFileSystem", "ProtectKernelTunables", "PrivateMounts")) {
            assertNull(mount.get(ns), "grainfs-mount@: " + ns);
        }
        assertEquals("/dev/fuse rw", mount.get("DeviceAllow"));
        assertEquals("CAP_SYS_ADMIN", mount.get("CapabilityBoundingSet"));
        assertEquals("on-failure", mount.get("Restart"));
    }

    @Test
    void chunkserverInstanceReadsItsOwnConfigFile() throws Exception {
        SystemdUnit u = SystemdUnit.read(root.resolve("lib/systemd/system/grainfs-chunkserver@.service"));
        assertEquals(List.of("/usr/bin/grainfs", "chunkserver", "--config", "/etc/grainfs/chunkserver-disk2.conf"),
                u.execStart("disk2", Map.of()));
        SystemdUnit m = SystemdUnit.read(root.resolve("lib/systemd/system/grainfs-mount@.service"));
        assertEquals(List.of("/usr/bin/grainfs", "mount", "--master", "10.0.0.1:9500", "/mnt/grainfs", "-o",
                "allow_other"), m.execStart("mnt-grainfs", Map.of("GRAINFS_MASTER", "10.0.0.1:9500",
                "GRAINFS_MOUNT_ARGS", "-o allow_other")));
    }

    @Test
    void installedLauncherRunsTheDistributionWithoutBuilding() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("usr/bin/grainfs").toString(), "--help");
        pb.environment().put("PATH", InstalledRoot.SYSTEMD_PATH);
        Exec.Result r = Exec.run(pb, 60);
        assertEquals(0, r.exit(), r.output());
        assertTrue(r.output().contains("master") && r.output().contains("chunkserver"), r.output());
    }

    @Test
    void mountHelperTurnsAnFstabLineIntoGrainfsMount() throws Exception {
        // mount(8) runs: mount.fuse.grainfs SPEC DIR -o OPTIONS; -f (fake) prints what it would run
        Path helper = root.resolve("sbin/mount.fuse.grainfs");
        ProcessBuilder pb = new ProcessBuilder(helper.toString(), "grainfs#10.0.0.1:9500,10.0.0.2:9501",
                "/mnt/grainfs", "-f", "-o", "rw,defaults,_netdev,nofail,x-systemd.automount,allow_other");
        pb.environment().put("GRAINFS_BIN", "/usr/bin/grainfs");
        Exec.Result r = Exec.run(pb, 30);
        assertEquals(0, r.exit(), r.output());
        assertEquals("mount.fuse.grainfs: /usr/bin/grainfs mount --master 10.0.0.1:9500,10.0.0.2:9501 /mnt/grainfs"
                + " -o allow_other", r.out().strip());

        Exec.Result plain = Exec.run(new ProcessBuilder(helper.toString(), "grainfs", "/mnt/g", "-f", "-o",
                "defaults"), 30);
        assertEquals("mount.fuse.grainfs: /usr/bin/grainfs mount /mnt/g", plain.out().strip());
    }

    /**
     * The helper's own work, with a stand-in for `grainfs mount` that mounts a tmpfs and stays in the
     * foreground as the real one does: it starts it in the background, returns once the directory is
     * mounted, and reports a mount process that dies.
     */
    @Test
    void mountHelperReturnsOnceMountedAndReportsAFailedMount() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(InstalledRoot.runningAsRoot(), "mounting needs root");
        Path dir = root.resolve("mnt/helper test");
        Files.createDirectories(dir);
        Path pidFile = root.resolve("stub.pid");
        Path stub = root.resolve("stub-grainfs");
        Files.writeString(stub, String.join("\n", "#!/bin/sh",
                "# grainfs mount [--master M] DIR [-o O]: a tmpfs instead of FUSE, then wait like a mount does",
                "[ \"$1\" = mount ] || exit 2; shift",
                "[ \"$1\" = --master ] && shift 2",
                "[ \"$1\" = /fail ] && { echo 'stub: cannot mount' >&2; exit 1; }",
                "mount -t tmpfs grainfs-stub \"$1\" || exit 1",
                "echo $$ > " + pidFile,
                "exec sleep 600", ""));
        stub.toFile().setExecutable(true);
        Path log = root.resolve("mount.log");
        Path helper = root.resolve("sbin/mount.fuse.grainfs");

        ProcessBuilder pb = new ProcessBuilder(helper.toString(), "grainfs#127.0.0.1:1", dir.toString(), "-o",
                "defaults,_netdev");
        pb.environment().put("GRAINFS_BIN", stub.toString());
        pb.environment().put("GRAINFS_MOUNT_LOG", log.toString());
        try {
            Exec.Result r = Exec.run(pb, 60);
            assertEquals(0, r.exit(), r.output() + (Files.exists(log) ? Files.readString(log) : ""));
            String mountinfo = Files.readString(Path.of("/proc/self/mountinfo"));
            assertTrue(mountinfo.contains(dir.toString().replace(" ", "\\040")), "mounted: " + dir);
        } finally {
            Exec.run("umount", dir.toString());
            if (Files.exists(pidFile)) {
                Exec.run("kill", Files.readString(pidFile).strip());
            }
        }

        ProcessBuilder fail = new ProcessBuilder(helper.toString(), "grainfs#127.0.0.1:1", "/fail");
        fail.environment().put("GRAINFS_BIN", stub.toString());
        fail.environment().put("GRAINFS_MOUNT_LOG", log.toString());
        Exec.Result f = Exec.run(fail, 60);
        assertEquals(32, f.exit(), "mount(8)'s code for a failed mount: " + f.output());
        assertTrue(f.err().contains("grainfs mount /fail failed; see " + log), f.err());
        assertTrue(Files.readString(log).contains("stub: cannot mount"));
    }
}
