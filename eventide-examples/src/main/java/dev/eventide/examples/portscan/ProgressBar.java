package dev.eventide.examples.portscan;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on standard error, redrawn at most ten times a second:
 * {@code [#########...........]  45% 29,491/65,535 ports  3 open  21,873 ports/s}. Shown only
 * when standard error's console is a terminal (see {@link #enabled()}); {@link #finish()} erases
 * it so the report starts on a clean line.
 */
public final class ProgressBar implements ScanEngine.Listener {
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int WIDTH = 30;

    private final PrintStream err;
    private final long total;
    private final long start = System.nanoTime();
    private long lastDraw;
    private long open;
    private boolean drawn;

    /** A bar for a scan of {@code total} probes, drawn on {@code err}. */
    public ProgressBar(PrintStream err, long total) {
        this.err = err;
        this.total = total;
    }

    /** Whether a progress bar makes sense: the process is attached to a terminal. */
    public static boolean enabled() {
        var console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void onResult(ScanResult result, long done) {
        if (result.state() == PortState.OPEN) {
            open++;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < total) {
            return;
        }
        lastDraw = now;
        int filled = (int) (WIDTH * done / Math.max(1, total));
        double rate = done * 1e9 / Math.max(1, now - start);
        err.print(String.format(Locale.ROOT, "\r[%s%s] %3d%% %,d/%,d ports  %,d open  %,.0f ports/s ",
                "#".repeat(filled), ".".repeat(WIDTH - filled), 100 * done / Math.max(1, total), done, total, open, rate));
        err.flush();
        drawn = true;
    }

    /** Erases the bar (if it was drawn). */
    public void finish() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
