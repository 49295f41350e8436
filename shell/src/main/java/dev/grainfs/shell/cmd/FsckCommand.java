package dev.grainfs.shell.cmd;

import dev.grainfs.core.wire.proto.FsckChunk;
import dev.grainfs.core.wire.proto.FsckFile;
import dev.grainfs.core.wire.proto.FsckRequest;
import dev.grainfs.core.wire.proto.FsckResponse;
import dev.grainfs.shell.CliContext;
import dev.grainfs.shell.Format;
import dev.grainfs.shell.GrainCommand;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "fsck", description = {"Check every chunk under PATH against the master's replica map: missing, corrupt,",
        "under-, over- and mis-replicated chunks. Exit code 0 only when HEALTHY."},
        footer = {"", "Examples:", "  grainfs fsck", "  grainfs fsck /logs --files --chunks --locations",
                "  grainfs fsck --json"})
public final class FsckCommand extends GrainCommand {
    @Parameters(index = "0", arity = "0..1", description = "subtree to check; default /")
    String path = "/";
    @Option(names = "--files", description = "list every file checked (else only unhealthy ones)")
    boolean files;
    @Option(names = "--chunks", description = "list each listed file's chunks")
    boolean chunks;
    @Option(names = "--locations", description = "with the servers holding each chunk")
    boolean locations;
    @Option(names = "--json", description = "machine-readable")
    boolean json;

    public FsckCommand(CliContext ctx) {
        super(ctx);
    }

    @Override
    protected String name() {
        return "fsck";
    }

    @Override
    protected int run() throws Exception {
        FsckResponse r = ctx.client().fsck(FsckRequest.newBuilder().setPath(ctx.resolve(path)).setFiles(files)
                .setChunks(chunks || locations).setLocations(locations).build());
        if (json) {
            ctx.out().println(json(r));
        } else {
            human(r);
        }
        return r.getHealthy() ? 0 : 1;
    }

    private void human(FsckResponse r) {
        for (FsckFile f : r.getFileListList()) {
            ctx.out().printf("%s %d bytes, replication %d, %d chunks: %s%n", f.getPath(), f.getSize(), f.getReplication(),
                    f.getChunkCount(), f.getHealthy() ? "OK" : "UNHEALTHY");
            for (FsckChunk c : f.getChunksList()) {
                ctx.out().printf("  chunk %d %016x v%d: %d/%d live%s%s%s%n", c.getIndex(), c.getHandle(), c.getVersion(),
                        c.getLive(), c.getExpected(), c.getCorrupt() > 0 ? ", " + c.getCorrupt() + " corrupt" : "",
                        c.getProblem().isEmpty() ? "" : "  " + c.getProblem(),
                        c.getReplicasCount() > 0 ? "  " + c.getReplicasList() : "");
            }
        }
        double avg = r.getChunks() == 0 ? 0 : (double) r.getReplicas() / r.getChunks();
        ctx.out().printf("Checked:                 %s%n", ctx.resolve(path));
        ctx.out().printf("Total files:             %d (%d directories)%n", r.getFiles(), r.getDirs());
        ctx.out().printf("Total size:              %d B (%s)%n", r.getBytes(), Format.bytes(r.getBytes()));
        ctx.out().printf("Total chunks:            %d%n", r.getChunks());
        ctx.out().printf("Missing chunks:          %d%n", r.getMissing());
        ctx.out().printf("Corrupt chunks:          %d%n", r.getCorrupt());
        ctx.out().printf("Under-replicated chunks: %d%n", r.getUnderReplicated());
        ctx.out().printf("Over-replicated chunks:  %d%n", r.getOverReplicated());
        ctx.out().printf("Mis-replicated chunks:   %d%n", r.getMisReplicated());
        ctx.out().printf("Average replication:     %.3f%n", avg);
        ctx.out().printf("Chunkservers:            %d live, %d dead, %d racks; %d copies in flight%n", r.getLiveServers(),
                r.getDeadServers(), r.getRacks(), r.getCopiesInFlight());
        ctx.out().printf("Status: %s%n", verdict(r));
    }

    /**
     * HEALTHY; CORRUPT when data is missing or damaged (as HDFS says it); UNHEALTHY when every chunk is
     * readable but some are short of replicas or of racks, which re-replication is repairing.
     */
    static String verdict(FsckResponse r) {
        if (r.getHealthy()) {
            return "HEALTHY";
        }
        return r.getMissing() + r.getCorrupt() > 0 ? "CORRUPT" : "UNHEALTHY";
    }

    static String json(FsckResponse r) {
        double avg = r.getChunks() == 0 ? 0 : (double) r.getReplicas() / r.getChunks();
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "{\"status\": \"%s\", \"files\": %d, \"dirs\": %d, \"bytes\": %d, \"chunks\": %d, "
                        + "\"missing\": %d, \"corrupt\": %d, \"under_replicated\": %d, \"over_replicated\": %d, "
                        + "\"mis_replicated\": %d, \"average_replication\": %.3f, \"live_servers\": %d, "
                        + "\"dead_servers\": %d, \"copies_in_flight\": %d, \"file_list\": [",
                verdict(r), r.getFiles(), r.getDirs(), r.getBytes(), r.getChunks(),
                r.getMissing(), r.getCorrupt(), r.getUnderReplicated(), r.getOverReplicated(), r.getMisReplicated(), avg,
                r.getLiveServers(), r.getDeadServers(), r.getCopiesInFlight()));
        List<String> fs = new ArrayList<>();
        for (FsckFile f : r.getFileListList()) {
            List<String> cs = new ArrayList<>();
            for (FsckChunk c : f.getChunksList()) {
                List<String> reps = new ArrayList<>();
                c.getReplicasList().forEach(x -> reps.add(Format.json(x)));
                cs.add(String.format("{\"index\": %d, \"handle\": \"%016x\", \"version\": %d, \"live\": %d, "
                                + "\"expected\": %d, \"corrupt\": %d, \"problem\": %s, \"replicas\": [%s]}", c.getIndex(),
                        c.getHandle(), c.getVersion(), c.getLive(), c.getExpected(), c.getCorrupt(),
                        Format.json(c.getProblem()), String.join(", ", reps)));
            }
            fs.add(String.format("{\"path\": %s, \"size\": %d, \"replication\": %d, \"chunks\": %d, \"healthy\": %b, "
                            + "\"chunk_list\": [%s]}", Format.json(f.getPath()), f.getSize(), f.getReplication(),
                    f.getChunkCount(), f.getHealthy(), String.join(", ", cs)));
        }
        return b.append(String.join(", ", fs)).append("]}").toString();
    }
}
