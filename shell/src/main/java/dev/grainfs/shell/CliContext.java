package dev.grainfs.shell;

import dev.grainfs.core.client.ClientConfig;
import dev.grainfs.core.client.GrainClient;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What every file and admin command needs: the client (made on first use), the current remote
 * directory (the shell's cd), where to print, and whether a person is watching (progress bars).
 */
public final class CliContext implements AutoCloseable {
    private ClientConfig config;
    private GrainClient client;
    private WireSecurity security = WireSecurity.NONE;
    private String cwd = "/";
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean terminal;

    public CliContext(ClientConfig config, PrintWriter out, PrintWriter err, boolean terminal) {
        this.config = config;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    public synchronized GrainClient client() {
        if (client == null) {
            client = GrainClient.connect(config, security);
        }
        return client;
    }

    /** Points later commands at another master (closing the old connection). */
    public synchronized void setConfig(ClientConfig c) {
        if (client != null) {
            client.close();
            client = null;
        }
        this.config = c;
    }

    /** The cluster key and TLS settings later connections use (closing the current one). */
    public synchronized void setSecurity(WireSecurity s) {
        if (client != null) {
            client.close();
            client = null;
        }
        this.security = s;
    }

    /** What connections besides {@link #client()} (admin calls) must use too. */
    public synchronized WireSecurity security() {
        return security;
    }

    public ClientConfig config() {
        return config;
    }

    public HostPort master() {
        return config.masters().get(0);
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean terminal() {
        return terminal;
    }

    public String cwd() {
        return cwd;
    }

    public void cd(String absolute) {
        this.cwd = absolute;
    }

    /** Makes a user-typed remote path absolute and resolves "." and ".." against the current directory. */
    public String resolve(String path) {
        String p = path.startsWith("/") ? path : (cwd.endsWith("/") ? cwd : cwd + "/") + path;
        Deque<String> parts = new ArrayDeque<>();
        for (String c : p.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return "/" + String.join("/", parts);
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
