package org.eventetl.engine;

import java.util.List;

import org.eventetl.render.RenderedStep;

/**
 * Adds a step's statements up into its {@link StepStatistics}, the same way on every engine: rows a
 * statement writes count for the step's own staged prefix, for another staged dataset of the run,
 * or not at all (DDL, temporary tables).
 */
public final class StatisticsTally
{
    /** Where a statement's rows went. */
    public enum Destination
    {
        TARGET,
        ELSEWHERE,
        NONE,
    }

    private final long started = System.nanoTime();
    private long rowsScanned;
    private boolean rowsKnown = true;
    private long rowsWritten;
    private long rowsElsewhere;
    private long bytesScanned;
    private long engineMillis;
    private long queueMillis;
    private double dollars;

    /** TARGET when the statement names the step's staged prefix, ELSEWHERE when it names another staged prefix of the run. */
    public static Destination destination(RenderedStep step, String sql)
    {
        if (step.writesTarget(sql)) {
            return Destination.TARGET;
        }
        return step.writesElsewhere(sql) ? Destination.ELSEWHERE : Destination.NONE;
    }

    public void scanned(long rows, long bytes)
    {
        rowsScanned += rows;
        bytesScanned += bytes;
    }

    /** The engine could not say how many rows a statement scanned; the step's count is then unknown (-1). */
    public void rowsUnknown()
    {
        rowsKnown = false;
    }

    public void wrote(Destination destination, long rows)
    {
        switch (destination) {
            case TARGET -> rowsWritten += rows;
            case ELSEWHERE -> rowsElsewhere += rows;
            case NONE -> {
                // DDL and temporary tables write nothing a user reads
            }
        }
    }

    /** What a query-billed engine reports beside the rows: its own time, its queue time and the price. */
    public void billed(long engineMillis, long queueMillis, double dollars)
    {
        this.engineMillis += engineMillis;
        this.queueMillis += queueMillis;
        this.dollars += dollars;
    }

    public double elapsedSeconds()
    {
        return (System.nanoTime() - started) / 1e9;
    }

    public StepStatistics stats()
    {
        return new StepStatistics(rowsKnown ? rowsScanned : -1, rowsWritten, rowsElsewhere, bytesScanned, elapsedSeconds(), List.of(),
                engineMillis / 1e3, queueMillis / 1e3, dollars);
    }
}
