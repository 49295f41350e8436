package dev.grainfs.daemons.master;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit without parked threads: a mutation applies and logs its op, hands its answer here
 * and returns; one committer thread writes and fsyncs everything logged so far, then sends every
 * answer whose op is now durable. Ops logged during one fsync share the next.
 *
 * <pre>
 *   I/O thread:  apply + append (write lock) -> whenDurable(txid, answer) -> next request
 *   committer:   take waiters -> sync(last txid) -> [shadow ack] -> run their answers -> take waiters ...
 * </pre>
 * With a synchronous shadow master an op is durable once it is fsynced here and acknowledged by the
 * shadow ({@link ShadowFeed#awaitShadow}, bounded by the shadow timeout).
 *
 * Threading: {@link #whenDurable} from any thread; answers run on the committer thread (or at
 * once on the caller's when already durable), in no particular order.
 */
final class Committer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Committer.class);

    /** What to do once the op is durable, or the log failed (then {@code failure} is not null). */
    interface Done {
        void run(MasterCore.JournalFailure failure);
    }

    private record Waiter(long txid, Done done) {
    }

    private final Journal journal;
    private final ShadowFeed shadow;
    private final Thread thread;
    private final Object lock = new Object();
    private List<Waiter> waiting = new ArrayList<>(); // guarded by lock
    private boolean closed; // guarded by lock

    Committer(Journal journal, ShadowFeed shadow) {
        this.journal = journal;
        this.shadow = shadow;
        this.thread = new Thread(this::run, "master-committer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Runs {@code done} once every op up to {@code txid} is durable (at once when it already is). */
    void whenDurable(long txid, Done done) {
        if (txid <= journal.durableTxid() && txid <= shadow.shadowTxid()) {
            done.run(null);
            return;
        }
        synchronized (lock) {
            if (!closed) {
                waiting.add(new Waiter(txid, done));
                lock.notify();
                return;
            }
        }
        done.run(new MasterCore.JournalFailure(new IOException("the master is shutting down")));
    }

    private void run() {
        while (true) {
            List<Waiter> batch;
            synchronized (lock) {
                while (waiting.isEmpty() && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        closed = true;
                    }
                }
                if (waiting.isEmpty()) {
                    return;
                }
                batch = waiting;
                waiting = new ArrayList<>();
            }
            MasterCore.JournalFailure failure = null;
            try {
                long upTo = journal.lastTxid();
                journal.sync(upTo);
                shadow.awaitShadow(upTo); // the shadow has been pulling these ops since they were logged
            } catch (IOException e) {
                failure = new MasterCore.JournalFailure(e);
                log.error("FATAL: {}", failure.getMessage(), e);
            }
            for (Waiter w : batch) {
                try {
                    w.done().run(failure);
                } catch (RuntimeException e) {
                    log.error("answering a committed request failed", e);
                }
            }
        }
    }

    /** Sends the answers still waiting (syncing them first) and stops the thread. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            lock.notify();
        }
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
