package dev.grainfs.dist;

import dev.grainfs.core.security.ClusterKey;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "keygen", description = "Write a new random cluster key (mode 0600) to FILE; never overwrites.",
        footer = {"", "Example:", "  grainfs keygen /etc/grainfs/cluster.key",
                "  then copy it (owner-only) to every daemon and trusted client host; see docs/security.md"})
final class KeygenCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "where to write the key")
    Path file;

    @Override
    public Integer call() throws Exception {
        try {
            ClusterKey k = ClusterKey.generate(file);
            System.out.println("wrote cluster key " + file + " (fingerprint " + k.fingerprint() + ")");
            return 0;
        } catch (FileAlreadyExistsException e) {
            System.err.println("grainfs: keygen: " + file + " exists; not overwriting a cluster key");
            return 1;
        }
    }
}
