package dev.grainfs.core.client;

import java.net.InetAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/** Which addresses are this machine's own, so reads prefer a replica on the same host. */
final class LocalHosts {
    private static final Set<String> ADDRESSES = load();

    private LocalHosts() {
    }

    static boolean isLocal(String host) {
        return ADDRESSES.contains(host);
    }

    private static Set<String> load() {
        Set<String> out = new HashSet<>();
        out.add("localhost");
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                for (InetAddress a : Collections.list(ni.getInetAddresses())) {
                    out.add(a.getHostAddress());
                }
            }
        } catch (Exception e) {
            out.add("127.0.0.1");
        }
        return Set.copyOf(out);
    }
}
