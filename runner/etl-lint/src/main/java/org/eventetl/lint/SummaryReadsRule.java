package org.eventetl.lint;

import java.util.List;
import java.util.Optional;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.model.EngineKind;
import org.eventetl.plan.SummaryView;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.LocalStorage;

/**
 * A step's {@code -- summary: count by <column>} names a column its dataset has: the load reads
 * the published dataset back for its summary only once the day is published, and a misspelled
 * column would then show as an error under a load that succeeded. Checked on DuckDB, where the
 * step really ran on the fixture, by the same reader the load's summary uses.
 */
final class SummaryReadsRule
        implements LintRule
{
    private static final String HEADER = "-- summary:";

    @Override
    public String id()
    {
        return "summary-reads";
    }

    @Override
    public String description()
    {
        return "a step's -- summary: header reads its dataset (count by names a column the dataset has), as the load's summary will";
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        Optional<RenderedStep> rendered = step.rendered();
        if (step.engine() != EngineKind.DUCKDB || !step.complete() || rendered.isEmpty() || rendered.get().target().isEmpty()) {
            return;
        }
        Optional<SummaryView> view = rendered.get().step().summary();
        if (view.isEmpty() || view.get().countBy().isEmpty()) {
            return;
        }
        try {
            new DatasetReader(new LocalStorage()).summarize(rendered.get().target().get().location(), view.get(), 1);
        }
        catch (Exception e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            findings.add(step.atLine(this, headerLine(step.template().text()), "summary '" + view.get() + "' cannot read the step's dataset on the fixture: " + reason));
        }
    }

    private static int headerLine(String template)
    {
        List<String> lines = template.lines().toList();
        for (int index = 0; index < lines.size(); index++) {
            if (lines.get(index).startsWith(HEADER)) {
                return index + 1;
            }
        }
        return 1;
    }
}
