package org.eventetl.load;

import java.io.IOException;
import java.util.List;

import org.eventetl.engine.Engine;
import org.eventetl.model.EtlException;
import org.eventetl.model.RunId;
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
        publisher.publish(dead, manifest, fence, dataset -> {});
        afterPublish(plan, dead.runId().value(), partition);
    }

    /**
     * Runs the afterRun callbacks of runs whose staging was just removed, rendered for each of them:
     * a run killed with kill -9 never ran its own, and on Trino and Athena its staged tables would
     * stay in the catalog. What they tidy is the engine's, never data, so a failure is only told.
     */
    void afterDeadRuns(Plan plan, List<String> runIds, LoadListener listener)
    {
        for (String runId : runIds) {
            try {
                run(planRenderer.callbacks(plan.context(), new RunId(runId), Callback.Event.AFTER_RUN));
            }
            catch (EtlException e) {
                listener.warning("afterRun callback of run " + runId + " failed: " + e.getMessage());
            }
        }
    }
}
