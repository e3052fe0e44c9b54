package org.eventetl.load;

import java.util.List;

import org.eventetl.history.RunRecord;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;

import static java.util.Objects.requireNonNull;

/**
 * The summary of a published load: per step what ran and what the engine reported, what each audit
 * found, the datasets published, and where the time went.
 *
 * @param seconds the whole load, from listing the source to the end of the publish
 * @param auditSeconds the audits' share of it
 * @param publishSeconds the publish's share of it (staging and audits included in {@code seconds} only)
 */
public record LoadResult(Partition partition, EngineKind engine, String runId, int sourceFiles, long sourceBytes,
        List<StepRun> steps, List<RunRecord.AuditResult> audits, List<String> published, double seconds, double auditSeconds, double publishSeconds)
{
    public LoadResult
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(runId, "runId is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        audits = List.copyOf(requireNonNull(audits, "audits is null"));
        published = List.copyOf(requireNonNull(published, "published is null"));
    }

    public List<RunRecord.AuditResult> warnings()
    {
        return audits.stream().filter(audit -> audit.verdict() == RunRecord.AuditResult.Verdict.WARNED).toList();
    }
}
