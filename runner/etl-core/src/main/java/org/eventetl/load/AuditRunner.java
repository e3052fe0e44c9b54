package org.eventetl.load;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.engine.Engine;
import org.eventetl.engine.QueryRows;
import org.eventetl.history.RunRecord.AuditResult;
import org.eventetl.model.PausePoints;
import org.eventetl.model.StepFailedException;
import org.eventetl.plan.Audit;
import org.eventetl.render.RenderedScript;

import static java.util.Objects.requireNonNull;

/**
 * Runs the audits against a run's staged outputs, in order. An audit that returns rows fails the
 * run (severity error, or warning on a strict run) or warns; the first failure stops the audits.
 */
final class AuditRunner
{
    /** Rows of a failed audit kept for the message and the history: enough to see the pattern. */
    static final int ROWS_KEPT = 5;

    private final Engine engine;
    private final LoadListener listener;

    AuditRunner(Engine engine, LoadListener listener)
    {
        this.engine = requireNonNull(engine, "engine is null");
        this.listener = requireNonNull(listener, "listener is null");
    }

    List<AuditResult> run(Map<Audit, RenderedScript> audits, boolean strict)
    {
        List<AuditResult> results = new ArrayList<>();
        // every audit runs, though one has failed: the first to fail is often the symptom (A3's
        // reject ratio) of what a later one names (A11: this file is gzip named .json)
        List<String> failures = new ArrayList<>();
        Optional<String> firstFailed = Optional.empty();
        for (Map.Entry<Audit, RenderedScript> entry : audits.entrySet()) {
            Audit audit = entry.getKey();
            listener.phase("audit " + audit.id());
            PausePoints.reach("audit " + audit.id());
            QueryRows rows;
            try {
                rows = engine.query(entry.getValue(), ROWS_KEPT);
            }
            catch (StepFailedException e) {
                results.add(new AuditResult(audit.id(), AuditResult.Verdict.FAILED, List.of("the audit's query failed: " + e.getMessage())));
                failures.add("audit " + audit.id() + " (" + audit.file() + ") could not run: " + e.getMessage());
                // the engine failing is no audit's finding: the ones that failed before it are said with it
                throw new AuditFailedException(firstFailed.orElse(audit.id()), String.join("; and ", failures), results, e);
            }
            List<String> described = new ArrayList<>();
            for (int row = 0; row < rows.rows().size(); row++) {
                described.add(rows.describe(row));
            }
            if (rows.isEmpty()) {
                results.add(new AuditResult(audit.id(), AuditResult.Verdict.PASSED, List.of()));
                continue;
            }
            boolean fails = switch (audit.severity()) {
                case ERROR -> true;
                case WARNING -> strict;
            };
            results.add(new AuditResult(audit.id(), fails ? AuditResult.Verdict.FAILED : AuditResult.Verdict.WARNED, described));
            if (fails) {
                int shown = described.size();
                String more = rows.more() ? " (and more rows)" : shown > 1 ? " (and " + (shown - 1) + " more row" + (shown == 2 ? ")" : "s)") : "";
                failures.add("audit " + audit.id() + " failed: " + described.get(0) + more
                        + (audit.severity() == Audit.Severity.WARNING ? " [a warning, failing because the run is strict about audits]" : ""));
                firstFailed = firstFailed.or(() -> Optional.of(audit.id()));
            }
        }
        if (firstFailed.isPresent()) {
            throw new AuditFailedException(firstFailed.get(), String.join("; and ", failures), results, null);
        }
        return List.copyOf(results);
    }
}
