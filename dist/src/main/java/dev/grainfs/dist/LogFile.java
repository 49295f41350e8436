package dev.grainfs.dist;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import org.slf4j.LoggerFactory;

/**
 * The optional rotated log file of a daemon, beside stderr: on when the system property
 * {@code grainfs.log.file} (or the environment variable GRAINFS_LOG_FILE) names a file. Rolls daily
 * and at 100 MiB, gzips old files, keeps 14 days and at most 2 GiB.
 */
final class LogFile {
    static final String PATTERN = "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level [%thread] %logger{0}: %msg%n";

    private LogFile() {
    }

    static void configure() {
        String file = System.getProperty("grainfs.log.file", System.getenv("GRAINFS_LOG_FILE"));
        if (file == null || file.isBlank() || !(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(PATTERN);
        enc.start();
        RollingFileAppender<ILoggingEvent> app = new RollingFileAppender<>();
        app.setContext(ctx);
        app.setName("FILE");
        app.setFile(file);
        app.setEncoder(enc);
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> roll = new SizeAndTimeBasedRollingPolicy<>();
        roll.setContext(ctx);
        roll.setParent(app);
        roll.setFileNamePattern(file + ".%d{yyyy-MM-dd}.%i.gz");
        roll.setMaxFileSize(FileSize.valueOf("100MB"));
        roll.setMaxHistory(14);
        roll.setTotalSizeCap(FileSize.valueOf("2GB"));
        roll.start();
        app.setRollingPolicy(roll);
        app.start();
        ctx.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(app);
    }
}
