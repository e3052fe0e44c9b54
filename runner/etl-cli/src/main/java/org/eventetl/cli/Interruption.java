package org.eventetl.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import org.eventetl.engine.Engine;
import org.eventetl.engine.ProgressListener;
import org.eventetl.engine.QueryRows;
import org.eventetl.engine.StepStatistics;
import org.eventetl.model.EngineKind;
import org.eventetl.model.StepFailedException;
import org.eventetl.partition.Partition;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;

import static java.util.Objects.requireNonNull;

/**
 * Ctrl-C (SIGINT), SIGTERM or SIGHUP while a command loads or repairs. The JVM then runs its shutdown hooks and exits with 130
 * whatever the command's thread is doing, so the hook here stops the work (the running statement
 * is cancelled, and the engines it guards start nothing more) and then holds the exit until the
 * command has said its last word: the interrupted step recorded as failed in the history, the
 * backfill's final table. Without that wait the JVM would exit in the middle of them. A publish
 * under way is waited for to its end, however long its copies take: cut short, it would leave the
 * day's datasets a mix of two runs (only kill -9 ends it then, and a rerun or repair finishes it).
 */
final class Interruption
        implements AutoCloseable
{
    /** How long the exit waits for a stopped command to finish its output: a cancelled Athena query takes a few seconds to stop. */
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::interrupted, "etl-interrupted");
    private volatile boolean happened;
    /** The first signal seen, as a message names it (the JVM exits with its code); null until one is. */
    private volatile String signalled;
    private volatile BooleanSupplier stop = () -> false;

    private Interruption() {}

    static Interruption install()
    {
        Interruption interruption = new Interruption();
        interruption.watch("INT", "Ctrl-C");
        interruption.watch("TERM", "SIGTERM");
        // a closed terminal or a dropped ssh session: the JVM ends on it as on SIGTERM, with 129
        interruption.watch("HUP", "SIGHUP");
        Runtime.getRuntime().addShutdownHook(interruption.hook);
        return interruption;
    }

    /**
     * Notes which signal began the JVM's shutdown, then hands it to the JVM's own handler, which runs
     * the shutdown hooks and exits with 128 + the signal's number, as before. A shutdown hook cannot
     * tell SIGINT from SIGTERM, and a history that says a person pressed Ctrl-C when a scheduler
     * stopped the run misleads whoever reads it. {@code sun.misc.Signal} (module jdk.unsupported) is
     * the JDK's only way to see the signal; where the JVM does not handle the signal itself (it is
     * ignored, or -Xrs), nothing is changed.
     */
    private void watch(String signal, String name)
    {
        try {
            Signal watched = new Signal(signal);
            SignalHandler[] previous = new SignalHandler[1];
            previous[0] = Signal.handle(watched, received -> {
                // a second signal (Ctrl-C, then a scheduler's SIGTERM) does not rename the first: the exit code is the first's
                if (signalled == null) {
                    signalled = name;
                }
                previous[0].handle(received);
            });
            if (previous[0] == SignalHandler.SIG_DFL || previous[0] == SignalHandler.SIG_IGN) {
                Signal.handle(watched, previous[0]);
            }
        }
        catch (IllegalArgumentException e) {
            // the JVM keeps this signal to itself: the shutdown hook still runs, and calls it Ctrl-C
        }
    }

    /** What stopped the run, for messages and the history: {@code Ctrl-C} or {@code SIGTERM}. */
    String cause()
    {
        String seen = signalled;
        return seen == null ? "Ctrl-C" : seen;
    }

    /** The code the JVM exits with for the first signal: 130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP (for the JSON document that says it). */
    int exitCode()
    {
        return switch (cause()) {
            case "SIGTERM" -> ExitCode.TERMINATED;
            case "SIGHUP" -> ExitCode.HUNG_UP;
            default -> ExitCode.INTERRUPTED;
        };
    }

    /**
     * What Ctrl-C does, once the work to stop exists: say so and cancel; {@code stop} answers whether
     * a publish is under way, which then finishes before the JVM exits.
     */
    void onInterrupt(BooleanSupplier stop)
    {
        this.stop = requireNonNull(stop, "stop is null");
    }

    boolean happened()
    {
        return happened;
    }

    /**
     * The engine, except that it starts no step once Ctrl-C was pressed (its own cancel stops only the
     * running statement). Every other call goes to the engine as it is, the engine's own versions of
     * {@link Engine}'s default methods too (a default left out here would answer for every engine).
     */
    Engine guard(Engine engine)
    {
        return new GuardedEngine(engine, this);
    }

    private void interrupted()
    {
        happened = true;
        boolean publishing = stop.getAsBoolean();
        try {
            if (publishing) {
                finished.await();
            }
            else {
                finished.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The command has said its last word: the JVM may exit now if it was interrupted. */
    @Override
    public void close()
    {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running, and returns now
        }
    }

    private record GuardedEngine(Engine engine, Interruption interruption)
            implements Engine
    {
        @Override
        public EngineKind kind()
        {
            return engine.kind();
        }

        @Override
        public StepStatistics execute(RenderedStep step, ProgressListener progress)
        {
            refuseOnceInterrupted();
            return engine.execute(step, progress);
        }

        @Override
        public QueryRows query(RenderedScript audit, int maxRows)
        {
            refuseOnceInterrupted();
            return engine.query(audit, maxRows);
        }

        @Override
        public void run(RenderedScript callback)
        {
            // callbacks tidy up (drop the run's staged tables): they run even after Ctrl-C
            engine.run(callback);
        }

        private void refuseOnceInterrupted()
        {
            if (interruption.happened()) {
                throw new StepFailedException("not started: the run was interrupted (" + interruption.cause() + ")", null);
            }
        }

        @Override
        public void stopStatementsOf(String deadRunId)
        {
            // a dead run's statements are stopped before its staged tables are dropped: tidying, as callbacks are
            engine.stopStatementsOf(deadRunId);
        }

        @Override
        public Optional<Map<String, Set<Partition>>> listedPartitions(Partition channel, List<String> datasets)
        {
            return engine.listedPartitions(channel, datasets);
        }

        @Override
        public Optional<String> persistentDatabase()
        {
            return engine.persistentDatabase();
        }

        @Override
        public void cancel()
        {
            engine.cancel();
        }

        @Override
        public void close()
        {
            engine.close();
        }
    }
}
