package org.eventetl.load;

import java.io.IOException;
import java.util.Optional;

import org.eventetl.engine.Engine;

import static java.util.Objects.requireNonNull;

/**
 * How one load is asked to stop (Ctrl-C, SIGTERM, a cancelled backfill), and the point past which it
 * no longer stops. Before its publish, a stop cancels the engine's running statement and the run
 * fails where it is, publishing nothing. Once the publish has begun, a stop is only noted: the
 * publish and its afterPublish callbacks run to their end, since half a publish leaves the day's
 * datasets a mix of two runs, and a cancelled callback leaves partitions that the catalog does not
 * know. The two are decided under one lock, so that a stop is either seen before the publish or
 * never cancels it.
 */
public final class RunStop
{
    private final Engine engine;
    private String cause;
    private boolean publishing;
    /** How many publishes of dead runs this run is finishing now (at its start): a stop waits for them too. */
    private int finishing;

    public RunStop(Engine engine)
    {
        this.engine = requireNonNull(engine, "engine is null");
    }

    /**
     * Asks the run to stop ({@code cause} names what asked, as its user knows it, e.g. {@code Ctrl-C});
     * the first cause is the one kept. Returns whether the running statement was cancelled: false
     * once the publish has begun, which then finishes, and while a dead run's publish is being
     * finished, after which the run stops at its next step.
     */
    public synchronized boolean request(String cause)
    {
        requireNonNull(cause, "cause is null");
        if (this.cause == null) {
            this.cause = cause;
        }
        if (publishing || finishing > 0) {
            return false;
        }
        engine.cancel();
        return true;
    }

    /** Something a run must not leave half done, however it is asked to stop. */
    @FunctionalInterface
    interface Finishing
    {
        void run()
                throws IOException;
    }

    /**
     * Finishes a dead run's publish that was cut short (its copies, its callbacks): a stop asked for
     * meanwhile cancels nothing, and the run stops at its next step.
     */
    void finishing(Finishing work)
            throws IOException
    {
        synchronized (this) {
            finishing++;
        }
        try {
            work.run();
        }
        finally {
            synchronized (this) {
                finishing--;
            }
        }
    }

    /** What asked the run to stop; empty while it is to go on. */
    public synchronized Optional<String> requested()
    {
        return Optional.ofNullable(cause);
    }

    boolean isFor(Engine engine)
    {
        return this.engine == engine;
    }

    /**
     * The last moment to stop with nothing half done: returns the stop asked for so far, if any;
     * otherwise the publish has begun, and no later stop cancels the engine.
     */
    synchronized Optional<String> beginPublish()
    {
        if (cause == null) {
            publishing = true;
        }
        return requested();
    }

    /** The run can no longer publish (another run took its lease): cancels its running statement, unless its publish has begun. */
    synchronized void abandon()
    {
        if (!publishing && finishing == 0) {
            engine.cancel();
        }
    }
}
