package org.eventetl.history;

import java.time.Instant;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How a run of a partition ended: published (its staged outputs are now what readers see), failed
 * (in a step, an audit or the publish; what was published before is intact), or, written later by
 * {@code repair}, resolved (a person has looked at a failed or interrupted run). A run that was
 * killed writes none: its step records without a run record are how it shows.
 *
 * @param datasets the datasets the run published (empty unless published)
 * @param audits what each audit found
 * @param phase where a failed run stopped: a step's id, an audit's id, or {@code publish}
 * @param source the source files a published run read, summed up (null when unknown: a record,
 *         or the manifest of a publish that another run finished, written before this was kept)
 */
public record RunRecord(
        String runId,
        String partition,
        String engine,
        Outcome outcome,
        String phase,
        String message,
        Instant startedAt,
        Instant finishedAt,
        List<String> datasets,
        List<AuditResult> audits,
        String user,
        String host,
        Source source)
{
    public RunRecord
    {
        requireNonNull(runId, "runId is null");
        requireNonNull(partition, "partition is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(outcome, "outcome is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(finishedAt, "finishedAt is null");
        datasets = List.copyOf(datasets == null ? List.of() : datasets);
        audits = List.copyOf(audits == null ? List.of() : audits);
    }

    /** The same record, with the source files the run read. */
    public RunRecord withSource(Source read)
    {
        return new RunRecord(runId, partition, engine, outcome, phase, message, startedAt, finishedAt, datasets, audits, user, host, read);
    }

    /**
     * The source files of a run: how many, their bytes, and a fingerprint of each file's name and
     * size, so that status sees a day whose files changed after it was published (a placeholder
     * replaced by the real data, a file cut short or grown), not only one whose file count did.
     * {@code contents} is a fingerprint of each file's name and version (S3's ETag) where the
     * storage gives versions, so that a file written again with as many bytes is seen too; null
     * on a local disk, and in the records of runs from before it was kept.
     */
    public record Source(int files, long bytes, String fingerprint, String contents)
    {
        public Source
        {
            requireNonNull(fingerprint, "fingerprint is null");
        }

        public String describe()
        {
            return String.format(java.util.Locale.ROOT, "%,d %s, %,d bytes", files, files == 1 ? "file" : "files", bytes);
        }
    }

    public enum Outcome
    {
        /** Every step and audit passed and every dataset was published. */
        PUBLISHED,
        /** A step, an audit or the publish failed, or the lease was lost; published data is as it was. */
        FAILED,
        /** A failed or interrupted run that repair has marked as looked at: it no longer makes the partition stale. */
        RESOLVED,
    }

    /** One audit of one run: passed, failed, or warned, with the first rows it returned. */
    public record AuditResult(String audit, Verdict verdict, List<String> rows)
    {
        public AuditResult
        {
            requireNonNull(audit, "audit is null");
            requireNonNull(verdict, "verdict is null");
            rows = List.copyOf(rows == null ? List.of() : rows);
        }

        public enum Verdict
        {
            PASSED,
            /** It returned rows and its severity is error (or the run was strict): nothing was published. */
            FAILED,
            /** It returned rows, its severity is warning and the run was not strict: published with a warning. */
            WARNED,
        }
    }
}
