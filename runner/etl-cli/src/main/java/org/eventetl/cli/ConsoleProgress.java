package org.eventetl.cli;

import java.io.PrintStream;

import org.eventetl.engine.StepStatistics;
import org.eventetl.load.LoadListener;
import org.eventetl.model.TerminalText;

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
    private String position = "";
    /** What runs now: the step with its position, or a phase after the steps ("audit A1__…"). */
    private String activity = "";
    /** A progress line is on the terminal without its line end: whatever comes next must start a line of its own. */
    private boolean lineOpen;
    private boolean interrupted;
    /** The first step has begun: before it, the run copies its source (DuckDB over S3), and has no step to stop. */
    private boolean stepsBegun;

    ConsoleProgress(PrintStream err, boolean interactive)
    {
        this.err = requireNonNull(err, "err is null");
        this.interactive = interactive;
    }

    @Override
    public synchronized void stepStarted(String step, String target, int number, int steps)
    {
        lastLogged = 0;
        this.position = "step " + number + " of " + steps;
        this.activity = step + " (" + position + ")";
        stepsBegun = true;
        endLine();
        err.println(TerminalText.oneLine("> " + position + ": " + step + (target.isEmpty() ? "" : " -> " + target)));
    }

    @Override
    public synchronized void progress(String step, double percent, double elapsedSeconds)
    {
        if (interrupted) {
            return;
        }
        // (the copy of the source comes before the steps, and has no position among them)
        String text = String.format("  %s%s %s %.1f s", stepsBegun ? position + ": " : "", step, percent >= 0 ? String.format("%3.0f%%", percent) : "...", elapsedSeconds);
        if (interactive) {
            err.print("\r" + text + "   ");
            err.flush();
            lineOpen = true;
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
            lineOpen = false;
        }
        if (skipped) {
            err.println("  " + step + " skipped: nothing to do");
        }
        else {
            err.printf("  %s done in %.2f s, %,d %s%n", step, stats.seconds(), stats.rowsWritten(), stats.rowsWritten() == 1 ? "row" : "rows");
        }
    }

    /** The audits and the publish, one line each (a step's line is closed first). */
    @Override
    public synchronized void phase(String description)
    {
        activity = description;
        if (interrupted) {
            return;
        }
        endLine();
        err.println(TerminalText.oneLine("> " + description));
    }

    /** A warning is printed even after Ctrl-C: it says what was left behind. */
    @Override
    public synchronized void warning(String message)
    {
        endLine();
        err.println("etl: warning: " + TerminalText.oneLine(message));
    }

    /** Ctrl-C: says so on a line of its own (not after the progress line) and prints no more progress. */
    synchronized void interrupted(String message)
    {
        interrupted = true;
        endLine();
        err.println(message);
    }

    /**
     * What was running last: a step, e.g. {@code V2__event_details (step 2 of 7)}, or a phase after
     * the steps, e.g. {@code audit A1__events_match_event_details}; empty before the first step.
     */
    synchronized String current()
    {
        return activity;
    }

    /** What a stop asked for now stops: the running step, or before the steps the run where it is (the copy of its source, say). */
    synchronized String stopping()
    {
        return stepsBegun ? "the running step" : "the run";
    }

    private void endLine()
    {
        if (lineOpen) {
            err.println();
            lineOpen = false;
        }
    }
}
