package dev.grainfs.dist;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.security.ClusterKey;
import dev.grainfs.core.security.TlsFiles;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.StatusCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The security flags every process that connects takes (CLI.md, Security): the cluster key file —
 * default $GRAINFS_CLUSTER_KEY, then /etc/grainfs/cluster.key when it exists — and TLS PEM files.
 * The mount uses these; daemons add their limits ({@link SecurityOptions}).
 */
class ClientSecurityOptions {
    static final Path SYSTEM_KEY = Path.of("/etc/grainfs/cluster.key");

    @Option(names = "--cluster-key", paramLabel = "FILE",
            description = "cluster key file (`grainfs keygen FILE`); default $GRAINFS_CLUSTER_KEY, then " + "/etc/grainfs/cluster.key when it exists")
    Path clusterKey;
    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: turns TLS on")
    Path tlsCert;
    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM (PKCS#8) private key of --tls-cert")
    Path tlsKey;
    @Option(names = "--tls-ca", paramLabel = "FILE", description = "PEM CA bundle: peers must present a certificate it signed")
    Path tlsCa;
    /** Reads the key and TLS files named (or found by default); fails with a message naming the file. */
    static WireSecurity resolve(Path keyFlag, Path cert, Path key, Path ca) throws IOException {
        Path keyFile = keyFile(keyFlag);
        ClusterKey k = keyFile == null ? null : ClusterKey.load(keyFile);
        TlsFiles tls = cert == null && key == null && ca == null ? null : new TlsFiles(cert, key, ca);
        return WireSecurity.of(k, tls);
    }

    /** These flags when given, else the client flags before the command (`grainfs --cluster-key F mount ...`). */
    WireSecurity resolveOver(Main parent) throws IOException {
        return resolve(clusterKey != null ? clusterKey : parent.clusterKey == null ? null : Path.of(parent.clusterKey),
                tlsCert != null ? tlsCert : parent.tlsCert, tlsKey != null ? tlsKey : parent.tlsKey,
                tlsCa != null ? tlsCa : parent.tlsCa);
    }

    /**
     * Asks the master once whether it lets this client in: a missing or wrong key is an error at
     * start (one line on stderr, false); a master not up yet is not, the client retries later.
     */
    static boolean admitted(GrainClient client) {
        try {
            client.statfs();
        } catch (GrainException e) {
            if (e.status() == StatusCode.EAUTH) {
                System.err.println("grainfs: " + e.getMessage());
                return false;
            }
        }
        return true;
    }

    static Path keyFile(Path flag) {
        if (flag != null) {
            return flag;
        }
        String env = System.getenv("GRAINFS_CLUSTER_KEY");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Files.exists(SYSTEM_KEY) ? SYSTEM_KEY : null;
    }
}
