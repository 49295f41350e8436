package dev.grainfs.daemons.observe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's chromium in headless mode, one process per page load: {@link #dumpDom} returns the DOM after
 * the page's scripts ran for a virtual-time budget, {@link #screenshot} saves a PNG. Each run gets a
 * fresh profile directory.
 */
final class HeadlessChromium {
    private static final String[] CANDIDATES = {"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"};
    private final Path binary;
    private final Path work;

    private HeadlessChromium(Path binary, Path work) {
        this.binary = binary;
        this.work = work;
    }

    /** The installed browser, or null when there is none. */
    static HeadlessChromium find(Path work) {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return new HeadlessChromium(Path.of(c), work);
            }
        }
        return null;
    }

    String dumpDom(String url, int virtualTimeMs) throws IOException, InterruptedException {
        return run(url, virtualTimeMs, "--dump-dom");
    }

    void screenshot(String url, int virtualTimeMs, Path png) throws IOException, InterruptedException {
        Files.createDirectories(png.getParent());
        Files.deleteIfExists(png);
        run(url, virtualTimeMs, "--screenshot=" + png.toAbsolutePath(), "--window-size=1280,1100",
                "--hide-scrollbars");
        if (!Files.exists(png)) {
            throw new IOException("chromium wrote no screenshot to " + png);
        }
    }

    private String run(String url, int virtualTimeMs, String... extra) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(work, "chromium-profile");
        Path out = work.resolve("chromium-" + System.nanoTime() + ".out");
        Path err = work.resolve("chromium-" + System.nanoTime() + ".err");
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + virtualTimeMs));
        cmd.addAll(List.of(extra));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("chromium did not finish within 60 s loading " + url);
        }
        if (p.exitValue() != 0) {
            throw new IOException("chromium exited " + p.exitValue() + ": " + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }
}
