package dev.grainfs.daemons.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays transcripts of the protocol through {@link NodeMain#run} and compares every reply with
 * the transcript's expected line, exactly. Transcript lines:
 * <pre>
 *   # comment              ignored
 *   + MS                   the node's clock moves MS milliseconds
 *   ! corrupt SERVER HANDLE OFFSET   flips a byte of the replica file on disk
 *   > REQUEST              sent to the node
 *   < REPLY                the reply the previous request must get
 * </pre>
 */
class NodeScriptTest {
    @TempDir
    Path dataDir;

    @Test
    void fullScriptCoversEveryMessageType() throws Exception {
        List<String> types = replay("script.txt");
        for (String t : List.of("init", "ns_mkdir", "ns_ls", "ns_lookup", "dfs_create_file", "dfs_file_info",
                "allocate_chunk", "chunk_write", "lease_grant", "lease_renew", "lease_check", "heartbeat",
                "server_status", "check_replication", "replicate_chunk", "rebalance_check", "rebalance_execute",
                "shadow_status", "trigger_failover", "chunk_read_verified")) {
            assertTrue(types.contains(t), "the script never sends " + t);
        }
    }

    @Test
    void errorsAreAnsweredAndTheNodeKeepsGoing() throws Exception {
        replay("errors.txt");
    }

    @Test
    void aClusterWithoutChunkserversWaitsForOneToReport() throws Exception {
        replay("small-cluster.txt");
    }

    /** Runs a transcript; returns the types of the requests it sent. */
    private List<String> replay(String resource) throws Exception {
        List<String> lines = read(resource);
        List<String> types = new ArrayList<>();
        boolean record = Boolean.getBoolean("node.record");
        try (NodeThread node = NodeThread.start(dataDir)) {
            String pending = null;
            int pendingLine = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (line.startsWith("> ")) {
                    if (pending != null && record) {
                        System.out.println("< " + pending);
                    }
                    if (pending != null && !record) {
                        fail(resource + ":" + pendingLine + ": no expected reply for the request");
                    }
                    String req = line.substring(2);
                    if (record) {
                        System.out.println(line);
                    }
                    pending = node.send(req);
                    assertNotNull(pending, resource + ":" + (i + 1) + ": the node closed stdout");
                    pendingLine = i + 1;
                    int t = req.indexOf("\"type\": \"");
                    if (t >= 0) {
                        types.add(req.substring(t + 9, req.indexOf('"', t + 9)));
                    }
                } else if (line.startsWith("< ")) {
                    if (!record) {
                        assertEquals(line.substring(2), pending, resource + ":" + (i + 1));
                    }
                    pending = null;
                } else {
                    if (pending != null && record) {
                        System.out.println("< " + pending);
                        pending = null;
                    }
                    if (record) {
                        System.out.println(line);
                    }
                    if (line.startsWith("+ ")) {
                        node.advance(Long.parseLong(line.substring(2).trim()));
                    } else if (line.startsWith("! corrupt ")) {
                        String[] a = line.substring(10).trim().split(" ");
                        corrupt(a[0], Long.parseLong(a[1]), Long.parseLong(a[2]));
                    } else if (!line.isBlank() && !line.startsWith("#")) {
                        fail(resource + ":" + (i + 1) + ": unknown transcript line: " + line);
                    }
                }
            }
            if (pending != null && record) {
                System.out.println("< " + pending);
            } else if (pending != null) {
                fail(resource + ":" + pendingLine + ": no expected reply for the last request");
            }
            assertEquals(0, node.finish(), "exit status");
        }
        return types;
    }

    private void corrupt(String server, long handle, long offset) throws IOException {
        String name = String.format("%016x.chunk", handle);
        Optional<Path> file;
        try (Stream<Path> files = Files.walk(dataDir.resolve(server))) {
            file = files.filter(p -> p.getFileName().toString().equals(name)).findFirst();
        }
        try (RandomAccessFile f = new RandomAccessFile(file.orElseThrow().toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x20);
        }
    }

    private static List<String> read(String resource) throws IOException {
        try (InputStream in = NodeScriptTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, "missing resource " + resource);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
