package dev.grainfs.core.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A throw-away CA and one node certificate signed by it, made with the openssl command. */
public record TestCerts(Path ca, Path cert, Path key) {
    public static TestCerts make(Path dir) throws IOException, InterruptedException {
        run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=grainfs-test-ca");
        run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-keyout", "node.key", "-out", "node.csr", "-subj", "/CN=localhost");
        run(dir, "openssl", "x509", "-req", "-in", "node.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "node.pem", "-days", "2");
        return new TestCerts(dir.resolve("ca.pem"), dir.resolve("node.pem"), dir.resolve("node.key"));
    }

    public TlsFiles files() {
        return new TlsFiles(cert, key, ca);
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
