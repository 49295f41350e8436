package dev.grainfs.daemons.master;

import dev.grainfs.core.wire.proto.Caller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-client-network export rules, as NFS exports and MooseFS mfsexports.cfg: whether root from a
 * network is squashed to the anonymous user, and which group's members act as superusers.
 * The first rule whose network holds the client's address applies; a client that matches no rule is
 * root-squashed. Without an exports file nothing is squashed (as before). Immutable, thread-safe.
 *
 * <pre>
 *   # network        option
 *   10.1.0.0/16      no_root_squash
 *   127.0.0.1/32     root_squash
 *   *                root_squash
 *   superuser-group  1500
 *   anon             65534:65534
 * </pre>
 */
public final class Exports {
    /** No file: nobody squashed, no superuser group. */
    public static final Exports OPEN = new Exports(List.of(new Rule(new byte[0], 0, false)), -1, 65534, 65534);

    record Rule(byte[] network, int prefixBits, boolean rootSquash) {
        boolean matches(InetAddress a) {
            byte[] b = a.getAddress();
            if (network.length == 0) {
                return true; // "*"
            }
            if (b.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }

    private final List<Rule> rules;
    private final int superuserGroup;
    private final int anonUid;
    private final int anonGid;

    private Exports(List<Rule> rules, int superuserGroup, int anonUid, int anonGid) {
        this.rules = List.copyOf(rules);
        this.superuserGroup = superuserGroup;
        this.anonUid = anonUid;
        this.anonGid = anonGid;
    }

    public static Exports load(Path file) throws IOException {
        try {
            return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    public static Exports parse(List<String> lines) {
        List<Rule> rules = new ArrayList<>();
        int group = -1;
        int uid = 65534;
        int gid = 65534;
        int n = 0;
        for (String raw : lines) {
            n++;
            String line = raw.replaceFirst("#.*", "").trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] w = line.split("\\s+");
            if (w.length != 2) {
                throw new IllegalArgumentException("line " + n + ": expected 'NETWORK OPTION', got '" + line + "'");
            }
            switch (w[0]) {
                case "superuser-group" -> group = Integer.parseInt(w[1]);
                case "anon" -> {
                    String[] ug = w[1].split(":");
                    uid = Integer.parseInt(ug[0]);
                    gid = Integer.parseInt(ug.length > 1 ? ug[1] : ug[0]);
                }
                default -> {
                    boolean squash = switch (w[1]) {
                        case "root_squash" -> true;
                        case "no_root_squash" -> false;
                        default -> throw new IllegalArgumentException("line " + n + ": unknown option '" + w[1]
                                + "' (root_squash or no_root_squash)");
                    };
                    rules.add(rule(w[0], squash, n));
                }
            }
        }
        return new Exports(rules, group, uid, gid);
    }

    private static Rule rule(String net, boolean squash, int line) {
        if (net.equals("*")) {
            return new Rule(new byte[0], 0, squash);
        }
        String[] p = net.split("/");
        try {
            byte[] addr = InetAddress.getByName(p[0]).getAddress();
            int bits = p.length > 1 ? Integer.parseInt(p[1]) : addr.length * 8;
            if (bits < 0 || bits > addr.length * 8) {
                throw new IllegalArgumentException("line " + line + ": bad prefix length in " + net);
            }
            return new Rule(addr, bits, squash);
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("line " + line + ": bad network '" + net + "'");
        }
    }

    /** The identity the master acts for: {@code c}, or the anonymous user for squashed root. */
    public Caller effective(SocketAddress peer, Caller c) {
        if (c.getUid() != 0 || !squashed(peer)) {
            return c;
        }
        return Caller.newBuilder().setUid(anonUid).setGid(anonGid).build();
    }

    boolean squashed(SocketAddress peer) {
        if (!(peer instanceof InetSocketAddress a) || a.getAddress() == null) {
            return true;
        }
        for (Rule r : rules) {
            if (r.matches(a.getAddress())) {
                return r.rootSquash();
            }
        }
        return true;
    }

    /** Whether {@code c} belongs to the superuser group (and so may do what root may). */
    public boolean superuser(Caller c) {
        if (superuserGroup < 0) {
            return false;
        }
        return c.getGid() == superuserGroup || c.getGroupsList().contains(superuserGroup);
    }
}
