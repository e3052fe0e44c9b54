package org.eventetl.load;

import java.util.Optional;

import org.eventetl.model.Causes;
import org.eventetl.model.EtlException;

/**
 * The load was asked to stop ({@link RunStop}) once its audits had passed: it publishes nothing and
 * fails there, so that a command can say where it stopped (after the audits, not during the last one).
 */
public final class StoppedBeforePublishException
        extends EtlException
{
    StoppedBeforePublishException(String stoppedBy)
    {
        super(Kind.FAILED, "stopped (" + stoppedBy + ") after the audits passed, before the publish", null);
    }

    /** This stop among a failure's causes, however deep the load's layers wrapped it. */
    public static Optional<StoppedBeforePublishException> in(Throwable failure)
    {
        return Causes.find(failure, StoppedBeforePublishException.class);
    }
}
