package org.eventetl.load;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.eventetl.engine.Engine;
import org.eventetl.model.EngineKind;
import org.eventetl.model.EtlException;
import org.eventetl.model.RunId;
import org.eventetl.model.StepFailedException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Callback;
import org.eventetl.render.Plan;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderedScript;
import org.eventetl.storage.RunStaging;

import static java.util.Objects.requireNonNull;

/**
 * Runs the callbacks of sql/ on one engine, for a load and for repair alike: a run's own afterPublish
 * and afterRun, and those of dead runs, whose publish it finishes or whose staging it removes.
 */
final class CallbackRunner
{
    private final Engine engine;
    private final PlanRenderer planRenderer;

    CallbackRunner(Engine engine, PlanRenderer planRenderer)
    {
        this.engine = requireNonNull(engine, "engine is null");
        this.planRenderer = requireNonNull(planRenderer, "planRenderer is null");
    }

    /** Runs each callback that has statements, in order; the first that fails stops them. */
    void run(List<RenderedScript> callbacks)
    {
        for (RenderedScript callback : callbacks) {
            if (!callback.statements().isEmpty()) {
                engine.run(callback);
            }
        }
    }

    /** The afterPublish callbacks of a run whose datasets are all swapped in (its own, or a dead run's whose publish is being finished). */
    void afterPublish(Plan plan, String runId, Partition partition)
    {
        try {
            run(plan.callbacks(Callback.Event.AFTER_PUBLISH));
        }
        catch (EtlException e) {
            throw new AfterPublishFailedException(runId, partition.hivePath(), e);
        }
    }

    /** Finishes a dead run's cut publish from its manifest, its afterPublish callbacks included. */
    void rollForward(Publisher publisher, Plan plan, RunStaging dead, Partition partition, PublishManifest manifest, Runnable fence)
            throws IOException
    {
        publisher.publish(dead, manifest, fence, dataset -> {}, dataset -> {});
        afterPublish(plan, dead.runId().value(), partition);
    }

    /**
     * Runs the afterRun callbacks of a dead run, rendered for it (see {@link StagingJanitor.AfterRun}),
     * once what a killed run left running on the engine is stopped (a run whose end is recorded left
     * nothing running); fails with an EtlException. Where the statements cannot be stopped (a
     * permission the engine refuses), the callbacks run all the same, and the failure is said after.
     */
    void afterDeadRun(Plan plan, String runId, Optional<String> ranOn, boolean ended)
    {
        String here = engine.kind().id();
        if (ranOn.isPresent() && !ranOn.get().equals(here) && !ranOn.get().equals(EngineKind.DUCKDB.id())) {
            // rendered and run here, they would drop nothing of what the run left on its engine
            // (Trino's and Athena's staged tables, a query still running): failing, they keep its
            // run record, so a load or repair there runs them. (Embedded DuckDB leaves nothing
            // behind its process: any engine may tidy after it.)
            throw new StepFailedException("it ran on " + ranOn.get() + ", not " + here + ", and its afterRun callbacks must run there to drop what it left there:"
                    + " run etl repair --engine " + ranOn.get() + " for the day", null);
        }
        EtlException notStopped = null;
        if (!ended) {
            try {
                engine.stopStatementsOf(runId);
            }
            catch (EtlException e) {
                notStopped = e;
            }
            catch (RuntimeException e) {
                notStopped = new StepFailedException("cannot stop what run " + runId + " left running on " + engine.kind().id() + ": " + e, e);
            }
        }
        run(planRenderer.callbacks(plan.context(), new RunId(runId), Callback.Event.AFTER_RUN));
        if (notStopped != null) {
            throw notStopped;
        }
    }
}
