package dev.grainfs.shell;

import dev.grainfs.core.Errno;
import dev.grainfs.core.GrainException;
import java.util.concurrent.Callable;

/**
 * Base of every file and admin command: holds the context and turns a failure into one line on
 * stderr ("grainfs: ls: /x: No such file or directory") and a non-zero exit code.
 */
public abstract class GrainCommand implements Callable<Integer> {
    protected final CliContext ctx;

    protected GrainCommand(CliContext ctx) {
        this.ctx = ctx;
    }

    /** The command's name, for error lines. */
    protected abstract String name();

    protected abstract int run() throws Exception;

    @Override
    public final Integer call() {
        try {
            return run();
        } catch (GrainException e) {
            ctx.err().println("grainfs: " + name() + ": " + describe(e));
            ctx.err().flush();
            return 1;
        } catch (java.io.IOException e) {
            ctx.err().println("grainfs: " + name() + ": " + e.getMessage());
            ctx.err().flush();
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ctx.err().println("grainfs: " + name() + ": interrupted");
            return 130;
        } catch (Exception e) {
            ctx.err().println("grainfs: " + name() + ": " + e);
            ctx.err().flush();
            return 1;
        } finally {
            ctx.out().flush();
        }
    }

    /** "path: reason" as coreutils would say it, from the server's message. */
    static String describe(GrainException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        String words = Errno.describe(e.status());
        int colon = m.indexOf(": ");
        if (colon > 0 && m.startsWith("/")) {
            return m.substring(0, colon) + ": " + words;
        }
        return m.isEmpty() ? words : m;
    }
}
