package org.eventetl.load;

import java.util.List;
import java.util.Optional;

import org.eventetl.history.RunRecord;
import org.eventetl.model.EngineKind;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.StagedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * The summary of a published load: per step what ran and what the engine reported, what each audit
 * found, the datasets published, and where the time went.
 *
 * @param output the output root the run published under (not an engine's local copy of it)
 * @param seconds the whole load, from listing the source to the end of the publish
 * @param auditSeconds the audits' share of it
 * @param publishSeconds the publish's share of it (staging and audits included in {@code seconds} only)
 */
public record LoadResult(Partition partition, Location output, EngineKind engine, String runId, int sourceFiles, long sourceBytes,
        List<StepRun> steps, List<RunRecord.AuditResult> audits, List<String> published, double seconds, double auditSeconds, double publishSeconds)
{
    public LoadResult
    {
        requireNonNull(partition, "partition is null");
        requireNonNull(output, "output is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(runId, "runId is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        audits = List.copyOf(requireNonNull(audits, "audits is null"));
        published = List.copyOf(requireNonNull(published, "published is null"));
    }

    /**
     * Where the step's dataset was staged under the real output. An engine that works on a local
     * copy of an S3 output (embedded DuckDB) wrote it there first, and the step's own target names
     * that copy, which is gone once the run has published.
     */
    public Optional<StagedPrefix> staged(StepRun step)
    {
        return step.target().map(target -> new StagedPrefix(new RunStaging(output, new RunId(runId)), target.dataset(), partition));
    }

    public List<RunRecord.AuditResult> warnings()
    {
        return audits.stream().filter(audit -> audit.verdict() == RunRecord.AuditResult.Verdict.WARNED).toList();
    }
}
