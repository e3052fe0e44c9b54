package org.eventetl.load;

import java.util.List;

import org.eventetl.history.RunRecord;
import org.eventetl.model.EtlException;

import static java.util.Objects.requireNonNull;

/** An audit found rows that break its expectation: nothing is published (exit 1). */
public final class AuditFailedException
        extends EtlException
{
    private final String audit;
    private final List<RunRecord.AuditResult> results;

    AuditFailedException(String audit, String message, List<RunRecord.AuditResult> results, Throwable cause)
    {
        super(Kind.FAILED, message, cause);
        this.audit = requireNonNull(audit, "audit is null");
        this.results = List.copyOf(results);
    }

    public String audit()
    {
        return audit;
    }

    /** What every audit that ran found, the failed one included. */
    public List<RunRecord.AuditResult> results()
    {
        return results;
    }
}
