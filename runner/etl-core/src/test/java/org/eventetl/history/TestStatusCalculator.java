package org.eventetl.history;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import org.eventetl.partition.Partition;
import org.eventetl.plan.Step;
import org.eventetl.plan.StepName;

import static org.assertj.core.api.Assertions.assertThat;

/** Histories in, states out: what status says of a partition, case by case. */
final class TestStatusCalculator
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
    private static final Step ONE = step(1, "one", "aaaaaaaa");
    private static final Step TWO = step(2, "two", "bbbbbbbb");
    private static final List<Step> STEPS = List.of(ONE, TWO);
    private static final Instant T0 = Instant.parse("2026-11-30T10:00:00Z");

    /** One case: a history, the lease's holder, today's rendered checksums, and what status must say. */
    private record Case(String name, List<StepRecord> steps, List<RunRecord> runs, Optional<String> holder, Map<String, String> rendered,
            boolean sourceExists, boolean publishStarted, PartitionState state, List<StepState> stepStates) {}

    @Test
    void everyCase()
    {
        List<Case> cases = List.of(
                new Case("never loaded", List.of(), List.of(), Optional.empty(), Map.of(), true, false,
                        PartitionState.PENDING, List.of(StepState.PENDING, StepState.PENDING)),
                new Case("no source, nothing published", List.of(), List.of(), Optional.empty(), Map.of(), false, false,
                        PartitionState.NO_SOURCE, List.of(StepState.PENDING, StepState.PENDING)),
                new Case("published and current", steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), List.of(published("r1", 0)), Optional.empty(),
                        Map.of("V1__one", "rendered", "V2__two", "rendered"), true, false,
                        PartitionState.CURRENT, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("a template changed since the publish", steps("r1", 0, "aaaaaaaa", "00000000"), List.of(published("r1", 0)), Optional.empty(),
                        Map.of(), true, false,
                        PartitionState.OUTDATED, List.of(StepState.APPLIED, StepState.OUTDATED)),
                new Case("the rendered SQL changed since the publish", steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), List.of(published("r1", 0)), Optional.empty(),
                        Map.of("V1__one", "rendered", "V2__two", "changed"), true, false,
                        PartitionState.OUTDATED, List.of(StepState.APPLIED, StepState.OUTDATED)),
                new Case("a later run failed", concat(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), steps("r2", 100, "aaaaaaaa")),
                        List.of(published("r1", 0), failed("r2", 100)), Optional.empty(), Map.of(), true, false,
                        PartitionState.FAILED, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("a later run failed before its first step (no step records)", steps("r1", 0, "aaaaaaaa", "bbbbbbbb"),
                        List.of(published("r1", 0), failed("r2", 100)), Optional.empty(), Map.of(), true, false,
                        PartitionState.FAILED, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("a later failed run marked resolved", concat(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), steps("r2", 100, "aaaaaaaa")),
                        List.of(published("r1", 0), failed("r2", 100), resolved("r2", 200)), Optional.empty(), Map.of(), true, false,
                        PartitionState.CURRENT, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("a later run killed", concat(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), steps("r2", 100, "aaaaaaaa")),
                        List.of(published("r1", 0)), Optional.empty(), Map.of(), true, false,
                        PartitionState.INTERRUPTED, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("a later run that holds the lease", concat(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), steps("r2", 100, "aaaaaaaa")),
                        List.of(published("r1", 0)), Optional.of("r2"), Map.of(), true, false,
                        PartitionState.RUNNING, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("a run that failed before the published one started", concat(steps("r0", -100, "aaaaaaaa"), steps("r1", 0, "aaaaaaaa", "bbbbbbbb")),
                        List.of(failed("r0", 50), published("r1", 0)), Optional.empty(), Map.of(), true, false,
                        PartitionState.CURRENT, List.of(StepState.APPLIED, StepState.APPLIED)),
                new Case("never published, the only run failed", steps("r1", 0, "aaaaaaaa"), List.of(failed("r1", 10)), Optional.empty(), Map.of(), true, false,
                        PartitionState.FAILED, List.of(StepState.PENDING, StepState.PENDING)),
                new Case("a publish finished by a later run or repair", steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), List.of(published("r1", 500)), Optional.empty(),
                        Map.of(), true, false,
                        PartitionState.CURRENT, List.of(StepState.APPLIED, StepState.APPLIED)));

        for (Case each : cases) {
            PartitionStatus status = StatusCalculator.status(DAY, STEPS, each.rendered(), new PartitionHistory(each.steps(), each.runs()),
                    each.holder(), runId -> each.publishStarted(), each.sourceExists(), Map.of());
            assertThat(status.state()).as(each.name()).isEqualTo(each.state());
            assertThat(status.steps()).extracting(StepStatus::state).as(each.name()).isEqualTo(each.stepStates());
            assertThat(status.state().good()).as(each.name()).isEqualTo(each.state() == PartitionState.CURRENT || each.state() == PartitionState.NO_SOURCE);
        }
    }

    @Test
    void anInterruptedPublishSaysTheDataMayMixTwoRuns()
    {
        PartitionStatus status = StatusCalculator.status(DAY, STEPS, Map.of(),
                new PartitionHistory(concat(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), steps("r2", 100, "aaaaaaaa", "bbbbbbbb")), List.of(published("r1", 0))),
                Optional.empty(), runId -> runId.equals("r2"), true, Map.of());

        assertThat(status.state()).isEqualTo(PartitionState.INTERRUPTED);
        assertThat(status.attempt()).hasValueSatisfying(attempt -> assertThat(attempt.publishStarted()).isTrue());
        assertThat(status.detail()).contains("while publishing").contains("mix two runs");
    }

    /** A live run that has begun its publish no longer leaves the published data intact: status says so. */
    @Test
    void aRunningPublishSaysTheDatasetsAreBeingReplaced()
    {
        PartitionHistory history = new PartitionHistory(concat(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), steps("r2", 100, "aaaaaaaa", "bbbbbbbb")), List.of(published("r1", 0)));
        PartitionStatus loading = StatusCalculator.status(DAY, STEPS, Map.of(), history, Optional.of("r2"), runId -> false, true, Map.of());
        PartitionStatus publishing = StatusCalculator.status(DAY, STEPS, Map.of(), history, Optional.of("r2"), runId -> runId.equals("r2"), true, Map.of());

        assertThat(loading.state()).isEqualTo(PartitionState.RUNNING);
        assertThat(loading.detail()).isEqualTo("run r2 is loading it now; the published data (run r1) is intact");
        assertThat(publishing.state()).isEqualTo(PartitionState.RUNNING);
        assertThat(publishing.attempt()).hasValueSatisfying(attempt -> assertThat(attempt.publishStarted()).isTrue());
        assertThat(publishing.detail()).startsWith("run r2 is publishing now: ").contains("may mix two runs").doesNotContain("intact");
    }

    /**
     * A run that has recorded nothing yet (it tidies, copies or checks the source first) was not seen:
     * status said current, or pending, while it held the lease, and nothing once it was killed so.
     */
    @Test
    void aRunThatRecordedNothingYetIsTheLatestAttempt()
    {
        PartitionHistory history = new PartitionHistory(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), List.of(published("r1", 0)));
        PartitionStatus preparing = StatusCalculator.status(DAY, STEPS, Map.of(), history, Optional.of("r2"), runId -> false, true, Map.of());
        assertThat(preparing.state()).isEqualTo(PartitionState.RUNNING);
        assertThat(preparing.attempt()).hasValueSatisfying(attempt -> assertThat(attempt.runId()).isEqualTo("r2"));
        assertThat(preparing.detail()).isEqualTo("run r2 is loading it now; the published data (run r1) is intact");
        PartitionStatus neverPublished = StatusCalculator.status(DAY, STEPS, Map.of(), new PartitionHistory(List.of(), List.of()), Optional.of("r2"), runId -> false, true, Map.of());
        assertThat(neverPublished.state()).as("not pending while a run holds it").isEqualTo(PartitionState.RUNNING);

        // killed so: its staging area says when it started
        PartitionStatus killed = StatusCalculator.status(DAY, STEPS, Map.of(), history, Optional.empty(), runId -> false, true, Map.of("r2", T0.plusSeconds(100)));
        assertThat(killed.state()).isEqualTo(PartitionState.INTERRUPTED);
        assertThat(killed.detail()).startsWith("run r2 ended without a record").contains("the published data (run r1) is intact");
        // one that started before the published run is no later attempt (its staging is only left over)
        PartitionStatus older = StatusCalculator.status(DAY, STEPS, Map.of(), history, Optional.empty(), runId -> false, true, Map.of("r0", T0.minusSeconds(100)));
        assertThat(older.state()).isEqualTo(PartitionState.CURRENT);
        // nor one the history records (its own records say how it ended)
        PartitionStatus recorded = StatusCalculator.status(DAY, STEPS, Map.of(), history, Optional.empty(), runId -> false, true, Map.of("r1", T0.plusSeconds(100)));
        assertThat(recorded.state()).isEqualTo(PartitionState.CURRENT);
    }

    /** A step added since the publish is no changed SQL: status names the step instead. */
    @Test
    void aStepAddedSinceThePublishIsNamed()
    {
        Step three = step(3, "three", "cccccccc");
        PartitionHistory history = new PartitionHistory(steps("r1", 0, "aaaaaaaa", "bbbbbbbb"), List.of(published("r1", 0)));
        PartitionStatus added = StatusCalculator.status(DAY, List.of(ONE, TWO, three), Map.of(), history, Optional.empty(), runId -> false, true, Map.of());
        PartitionStatus both = StatusCalculator.status(DAY, List.of(ONE, step(2, "two", "00000000"), three), Map.of(), history, Optional.empty(), runId -> false, true, Map.of());

        assertThat(added.state()).isEqualTo(PartitionState.OUTDATED);
        assertThat(added.detail()).isEqualTo("published by run r1 before V3__three existed; reload it (backfill --only-stale does)");
        assertThat(both.detail()).isEqualTo("published by run r1 with SQL that has changed since, and before V3__three existed; reload it (backfill --only-stale does)");
    }

    private static Step step(int version, String name, String checksum)
    {
        return new Step(new StepName(version, name), "sql/V" + version + "__" + name + ".sql", "", checksum, Optional.of(name), Step.Condition.ALWAYS);
    }

    /** A run's step records, one per checksum, in step order, starting {@code seconds} after T0. */
    private static List<StepRecord> steps(String runId, int seconds, String... checksums)
    {
        List<StepRecord> records = new ArrayList<>();
        for (int i = 0; i < checksums.length; i++) {
            Step step = STEPS.get(i);
            records.add(new StepRecord(runId, DAY.hivePath(), step.version(), step.id(), step.file(), checksums[i], "rendered", "duckdb", null,
                    StepRecord.Outcome.APPLIED, T0.plusSeconds(seconds + i), 1, 10, 10, 100, null, "user", "host"));
        }
        return records;
    }

    private static RunRecord published(String runId, int finishedAfter)
    {
        return end(runId, RunRecord.Outcome.PUBLISHED, finishedAfter);
    }

    private static RunRecord failed(String runId, int finishedAfter)
    {
        return end(runId, RunRecord.Outcome.FAILED, finishedAfter);
    }

    private static RunRecord resolved(String runId, int finishedAfter)
    {
        return end(runId, RunRecord.Outcome.RESOLVED, finishedAfter);
    }

    private static RunRecord end(String runId, RunRecord.Outcome outcome, int finishedAfter)
    {
        int started = runId.equals("r2") ? 100 : runId.equals("r0") ? -100 : 0;
        return new RunRecord(runId, DAY.hivePath(), "duckdb", outcome, outcome == RunRecord.Outcome.FAILED ? "V2__two" : "publish",
                outcome == RunRecord.Outcome.FAILED ? "it failed" : null, T0.plusSeconds(started), T0.plusSeconds(finishedAfter + 10), List.of(), List.of(),
                "user", "host", null);
    }

    @SafeVarargs
    private static List<StepRecord> concat(List<StepRecord>... lists)
    {
        List<StepRecord> all = new ArrayList<>();
        for (List<StepRecord> list : lists) {
            all.addAll(list);
        }
        return all;
    }
}
