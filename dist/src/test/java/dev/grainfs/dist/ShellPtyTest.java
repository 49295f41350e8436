package dev.grainfs.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin shell under a real pseudo-terminal (tmux): completion, progress bar, history, Ctrl-C. */
class ShellPtyTest {
    @TempDir
    Path dir;

    static String tmux(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("tmux", "-L", "grainfs-test"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor(20, TimeUnit.SECONDS);
        return out;
    }

    static String screen(String session) throws Exception {
        return tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", session);
    }

    static String waitFor(String session, String text, long ms) throws Exception {
        long deadline = System.currentTimeMillis() + ms;
        String s = "";
        while (System.currentTimeMillis() < deadline) {
            s = screen(session);
            if (s.contains(text)) {
                return s;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("'" + text + "' never appeared; screen:\n" + s);
    }

    @Test
    void completionProgressHistoryAndCtrlC() throws Exception {
        Assumptions.assumeTrue(new ProcessBuilder("tmux", "-V").start().waitFor() == 0, "tmux not installed");
        try (GrainfsProcess m = GrainfsProcess.daemon(dir.resolve("m.log"), "master", "--meta-dir",
                dir.resolve("meta").toString(), "--port", "0", "--replication", "1");
             GrainfsProcess cs = GrainfsProcess.daemon(dir.resolve("cs.log"), "chunkserver", "--master", m.address(),
                     "--data-dir", dir.resolve("cs").toString(), "--port", "0", "--heartbeat", "1")) {
            Thread.sleep(1_500);
            assertEquals(0, GrainfsProcess.run("--master", m.address(), "mkdir", "-p", "/projects/alpha").exit());
            Path big = dir.resolve("big");
            CliProcessTest.randomFile(big, 300L << 20, 3);
            String session = "gs" + ProcessHandle.current().pid();
            String shell = String.join(" ", GrainfsProcess.command("--master", m.address(), "shell").stream()
                    .map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
            tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50",
                    "env HOME=" + dir + " TERM=xterm " + shell);
            try {
                waitFor(session, "grainfs " + m.address() + ":/>", 30_000);
                // Tab completes a remote path
                tmux("send-keys", "-t", session, "ls /proj", "Tab");
                waitFor(session, "ls /projects/", 10_000);
                tmux("send-keys", "-t", session, "Enter");
                waitFor(session, "alpha", 10_000);
                // put with a progress bar on a terminal
                tmux("send-keys", "-t", session, "put " + big + " /projects/big", "Enter");
                String s = waitFor(session, "put /projects/big", 30_000);
                waitFor(session, "100%", 120_000);
                // history: Up recalls the last command
                tmux("send-keys", "-t", session, "C-l", "");
                tmux("send-keys", "-t", session, "Up");
                waitFor(session, "put " + big + " /projects/big", 10_000);
                tmux("send-keys", "-t", session, "C-u", "");
                // Ctrl-C stops a long get but not the shell
                tmux("send-keys", "-t", session, "get /projects/big " + dir.resolve("copy"), "Enter");
                // Ctrl-C once the get's progress bar shows (the command runs), not after a fixed pause
                long deadline = System.currentTimeMillis() + 30_000;
                while (!java.util.regex.Pattern.compile("get /projects/big +\\d+%").matcher(screen(session)).find()) {
                    assertTrue(System.currentTimeMillis() < deadline, "no progress bar for get:\n" + screen(session));
                    Thread.sleep(50);
                }
                tmux("send-keys", "-t", session, "C-c", "");
                tmux("send-keys", "-t", session, "pwd", "Enter");
                waitFor(session, "/\n", 30_000);
                s = screen(session);
                assertTrue(s.contains("grainfs " + m.address() + ":/>"), s);
                tmux("send-keys", "-t", session, "cd /projects", "Enter");
                waitFor(session, ":/projects>", 10_000);
                tmux("send-keys", "-t", session, "exit", "Enter");
                for (int i = 0; i < 50 && !Files.exists(dir.resolve(".grainfs_history")); i++) {
                    Thread.sleep(200);
                }
                assertTrue(Files.exists(dir.resolve(".grainfs_history")), "history is kept across sessions");
                assertTrue(Files.readString(dir.resolve(".grainfs_history")).contains("put " + big));
            } finally {
                tmux("kill-session", "-t", session);
            }
        }
    }
}
