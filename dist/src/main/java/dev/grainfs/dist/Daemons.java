package dev.grainfs.dist;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** Shared plumbing of the daemon commands: log level, the "listening on" line, clean stop on SIGTERM. */
final class Daemons {
    private Daemons() {
    }

    /** Daemons log at INFO (unless -Dgrainfs.log.level says otherwise) and optionally to a rotated file. */
    static void logInfo() {
        LogFile.configure();
        if (System.getProperty("grainfs.log.level") == null) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        }
    }

    /**
     * Blocks until SIGTERM or SIGINT, then runs {@code stop} and returns (the command exits 0).
     * A shutdown hook still stops the daemon if the JVM is ended any other way.
     */
    private static final CountDownLatch SIGNALLED = new CountDownLatch(1);

    /** Ends {@link #runUntilStopped} as a signal would (e.g. the mount was unmounted from outside). */
    static void wake() {
        SIGNALLED.countDown();
    }

    static void runUntilStopped(Runnable stop) {
        CountDownLatch signalled = SIGNALLED;
        sun.misc.SignalHandler h = sig -> signalled.countDown();
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), h);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), h);
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable once = () -> {
            if (stopped.compareAndSet(false, true)) {
                stop.run();
            }
        };
        Runtime.getRuntime().addShutdownHook(new Thread(once, "grainfs-shutdown"));
        try {
            signalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LoggerFactory.getLogger(Daemons.class).info("stopping");
        once.run();
    }

    static void announce(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
