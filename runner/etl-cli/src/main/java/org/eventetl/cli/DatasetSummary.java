package org.eventetl.cli;

import java.util.ArrayList;
import java.util.List;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.load.LoadResult;
import org.eventetl.load.StepRun;
import org.eventetl.plan.SummaryView;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/** What the summary shows of a published dataset, as its step's {@code -- summary:} header asks. */
record DatasetSummary(String step, String dataset, SummaryView view, DatasetReader.Table table, String problem)
{
    static final int ROWS = 20;

    DatasetSummary
    {
        requireNonNull(step, "step is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(view, "view is null");
        requireNonNull(table, "table is null");
    }

    /**
     * Reads each summarised dataset back from where it was published. The load has succeeded by now:
     * a dataset that cannot be read here is said in the summary, and does not fail the load.
     */
    static List<DatasetSummary> of(LoadResult result, Storage storage)
    {
        List<DatasetSummary> summaries = new ArrayList<>();
        for (StepRun step : result.steps()) {
            if (step.step().step().summary().isEmpty() || step.target().isEmpty()) {
                continue;
            }
            SummaryView view = step.step().step().summary().get();
            String dataset = step.target().get().dataset();
            PublishedPrefix prefix = result.staged(step).orElseThrow().published();
            try {
                summaries.add(new DatasetSummary(step.id(), dataset, view, new DatasetReader(storage).summarize(prefix.location(), view, ROWS), null));
            }
            catch (Exception e) {
                summaries.add(new DatasetSummary(step.id(), dataset, view, new DatasetReader.Table(List.of(), List.of()),
                        "cannot be read back from " + prefix + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("")));
            }
        }
        return List.copyOf(summaries);
    }
}
