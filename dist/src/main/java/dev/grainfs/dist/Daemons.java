package dev.grainfs.dist;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;

/** Shared plumbing of the daemon commands: log level, the "listening on" line, clean stop on SIGTERM. */
final class Daemons {
    private Daemons() {
    }

    static void logInfo() {
        if (System.getProperty("grainfs.log.level") == null) {
            ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
        }
    }

    /** Runs {@code stop} on SIGTERM/SIGINT and blocks until then. */
    static void runUntilStopped(Runnable stop) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }, "grainfs-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void announce(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
