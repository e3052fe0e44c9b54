package org.eventetl.history;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.eventetl.plan.Step;

/**
 * Compares a partition's history with the steps that sql/ holds today. The latest run of each
 * version decides: failed is failed, a repair makes it pending again, and an applied run is current
 * only while both the template's checksum and the rendered SQL's checksum still match.
 */
public final class StatusCalculator
{
    public static final String RESOLVED = "resolved";

    private StatusCalculator() {}

    /**
     * @param renderedChecksums the checksum of each step's SQL as rendered today, by step id; empty
     *         when the partition cannot be rendered (its source is gone), then only templates are compared
     */
    public static List<StepStatus> status(String partition, List<Step> steps, Map<String, String> renderedChecksums, List<HistoryEntry> history)
    {
        Map<Integer, HistoryEntry> latest = history.stream()
                .collect(Collectors.toMap(HistoryEntry::version, Function.identity(),
                        (left, right) -> left.startedAt().isAfter(right.startedAt()) ? left : right));
        List<StepStatus> rows = new ArrayList<>();
        for (Step step : steps) {
            Optional<HistoryEntry> entry = Optional.ofNullable(latest.get(step.version()));
            rows.add(new StepStatus(partition, step.version(), step.id(), state(step, entry, renderedChecksums), entry, detail(step, entry, renderedChecksums)));
        }
        rows.sort(Comparator.comparingInt(StepStatus::version));
        return List.copyOf(rows);
    }

    private static StepState state(Step step, Optional<HistoryEntry> entry, Map<String, String> renderedChecksums)
    {
        if (entry.isEmpty() || entry.get().outcome().equals(RESOLVED)) {
            return StepState.PENDING;
        }
        if (entry.get().outcome().equals(HistoryEntry.FAILED)) {
            return StepState.FAILED;
        }
        if (!entry.get().checksum().equals(step.checksum())) {
            return StepState.OUTDATED;
        }
        String rendered = renderedChecksums.get(step.id());
        if (rendered != null && !rendered.equals(entry.get().renderedChecksum())) {
            return StepState.OUTDATED;
        }
        return StepState.APPLIED;
    }

    private static String skipped(HistoryEntry run)
    {
        // a schema step says where it was applied; a conditional step had nothing to do
        return run.message() == null ? "nothing to do (no rejects)" : run.message();
    }

    private static String detail(Step step, Optional<HistoryEntry> entry, Map<String, String> renderedChecksums)
    {
        if (entry.isEmpty()) {
            return "no finished run";
        }
        HistoryEntry run = entry.get();
        return switch (state(step, entry, renderedChecksums)) {
            case PENDING -> "failure marked resolved by repair; rerun the load";
            case FAILED -> run.message() == null ? "failed" : run.message();
            case OUTDATED -> !run.checksum().equals(step.checksum())
                    ? "template changed: applied " + run.checksum() + ", sql/ has " + step.checksum()
                    : "rendered SQL changed (parameters, partials or source files): applied " + run.renderedChecksum() + ", now " + renderedChecksums.get(step.id());
            case APPLIED -> run.outcome().equals(HistoryEntry.SKIPPED) ? skipped(run) : "";
        };
    }
}
