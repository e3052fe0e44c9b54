package org.eventetl.cli;

import java.io.PrintStream;

import org.eventetl.engine.StepStatistics;
import org.eventetl.load.LoadListener;

import static java.util.Objects.requireNonNull;

/**
 * Progress on stderr while steps run: one line rewritten in place on a terminal, a line every few
 * seconds in a log (so a scheduler's log shows the run is alive without drowning in updates).
 */
final class ConsoleProgress
        implements LoadListener
{
    private static final double LOG_INTERVAL_SECONDS = 5;

    private final PrintStream err;
    private final boolean interactive;
    private double lastLogged;

    ConsoleProgress(PrintStream err, boolean interactive)
    {
        this.err = requireNonNull(err, "err is null");
        this.interactive = interactive;
    }

    @Override
    public void stepStarted(String step, String target)
    {
        lastLogged = 0;
        err.println("> " + step + (target.isEmpty() ? "" : " -> " + target));
    }

    @Override
    public synchronized void progress(String step, double percent, double elapsedSeconds)
    {
        String text = String.format("  %s %s %.1f s", step, percent >= 0 ? String.format("%3.0f%%", percent) : "...", elapsedSeconds);
        if (interactive) {
            err.print("\r" + text + "   ");
            err.flush();
        }
        else if (elapsedSeconds - lastLogged >= LOG_INTERVAL_SECONDS) {
            lastLogged = elapsedSeconds;
            err.println(text);
        }
    }

    @Override
    public synchronized void stepFinished(String step, StepStatistics stats, boolean skipped)
    {
        if (interactive) {
            err.print("\r\033[K");
        }
        if (skipped) {
            err.println("  " + step + " skipped: nothing to do");
        }
        else {
            err.printf("  %s done in %.2f s, %,d rows%n", step, stats.seconds(), stats.rowsWritten());
        }
    }
}
