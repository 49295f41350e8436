package dev.grainfs.dist;

import dev.grainfs.daemons.node.NodeMain;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "node", description = "Speak the JSON-lines node protocol of the design exercises on stdin/stdout.",
        footer = {"", "Example:", "  echo '{\"src\": \"c1\", \"dest\": \"n1\", \"body\": {\"type\": \"init\", \"msg_id\": 1, "
                + "\"node_id\": \"n1\", \"node_ids\": [\"n1\", \"n2\", \"n3\", \"n4\"]}}' | grainfs node"})
final class NodeCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return NodeMain.run(System.in, System.out, System.err);
    }
}
