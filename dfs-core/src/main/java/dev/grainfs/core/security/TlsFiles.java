package dev.grainfs.core.security;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * TLS settings as given on the command line: a PEM certificate chain and PKCS#8 PEM key, and
 * optionally a CA bundle. With a CA, the server demands a client certificate signed by it (mutual
 * TLS) and clients accept only servers it signed; without one, clients trust the JDK's default CAs.
 *
 * @param cert PEM certificate chain presented to peers (null on a client that presents none)
 * @param key  PEM private key of {@code cert}
 * @param ca   PEM CA certificates that peers must be signed by (null: no client auth; JDK trust)
 */
public record TlsFiles(Path cert, Path key, Path ca) {
    public TlsFiles {
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
    }

    SslContext serverContext() throws IOException {
        if (cert == null) {
            throw new IOException("a TLS server needs --tls-cert and --tls-key");
        }
        try {
            SslContextBuilder b = SslContextBuilder.forServer(readable(cert).toFile(), readable(key).toFile());
            if (ca != null) {
                b.trustManager(readable(ca).toFile()).clientAuth(ClientAuth.REQUIRE);
            }
            return b.protocols("TLSv1.3", "TLSv1.2").build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IOException("cannot load TLS certificate " + cert + " / key " + key + ": " + e.getMessage(), e);
        }
    }

    SslContext clientContext() throws IOException {
        try {
            SslContextBuilder b = SslContextBuilder.forClient();
            if (ca != null) {
                b.trustManager(readable(ca).toFile());
            }
            if (cert != null) {
                b.keyManager(readable(cert).toFile(), readable(key).toFile());
            }
            return b.protocols("TLSv1.3", "TLSv1.2").build();
        } catch (javax.net.ssl.SSLException | IllegalArgumentException e) {
            throw new IOException("cannot set up TLS with " + this + ": " + e.getMessage(), e);
        }
    }

    private static Path readable(Path p) throws IOException {
        if (!Files.isReadable(p)) {
            throw new IOException("cannot read " + p);
        }
        return p;
    }
}
