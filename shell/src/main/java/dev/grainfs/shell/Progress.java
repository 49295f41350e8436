package dev.grainfs.shell;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar for long transfers when a person watches a terminal; silent otherwise. */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** total < 0 = unknown length. */
    public static Progress start(CliContext ctx, String task, long total) {
        if (!ctx.terminal()) {
            return new Progress(null);
        }
        ProgressBar b = new ProgressBarBuilder().setTaskName(task).setInitialMax(total < 0 ? -1 : total)
                .setStyle(ProgressBarStyle.ASCII).setUnit("MiB", 1 << 20).showSpeed().setUpdateIntervalMillis(200)
                .continuousUpdate().build();
        return new Progress(b);
    }

    public void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
