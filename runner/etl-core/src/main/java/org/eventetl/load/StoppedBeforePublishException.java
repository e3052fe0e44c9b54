package org.eventetl.load;

import java.util.List;
import java.util.Optional;

import org.eventetl.model.Causes;
import org.eventetl.model.EtlException;

/**
 * The load was asked to stop ({@link RunStop}) at a moment when nothing of its own was under way:
 * before its first step (once it had tidied what earlier runs left, which may have meant finishing
 * a cut publish), or once its audits had passed. It publishes nothing and fails there, so that a
 * command can say where it stopped, rather than name a step that never ran or the last audit.
 */
public final class StoppedBeforePublishException
        extends EtlException
{
    private final String when;
    private final boolean finishedAnother;

    private StoppedBeforePublishException(String stoppedBy, String when, boolean finishedAnother)
    {
        super(Kind.FAILED, "stopped (" + stoppedBy + ") " + when, null);
        this.when = when;
        this.finishedAnother = finishedAnother;
    }

    static StoppedBeforePublishException afterTheAudits(String stoppedBy)
    {
        return new StoppedBeforePublishException(stoppedBy, "after the audits passed, before the publish", false);
    }

    /** @param finished the earlier runs whose cut publish the load finished before it stopped */
    static StoppedBeforePublishException beforeTheSteps(String stoppedBy, List<String> finished)
    {
        return new StoppedBeforePublishException(stoppedBy, "before its first step" + (finished.isEmpty() ? ""
                : ", once it had finished the publish of run " + String.join(", ", finished) + ", which was cut short (the published day is that run's now)"),
                !finished.isEmpty());
    }

    /** Whether it finished an earlier run's cut publish before it stopped: the published day changed, though not to this run's. */
    public boolean finishedAnother()
    {
        return finishedAnother;
    }

    /** When it stopped, as a sentence continues "stopped (Ctrl-C) …". */
    public String when()
    {
        return when;
    }

    /** This stop among a failure's causes, however deep the load's layers wrapped it. */
    public static Optional<StoppedBeforePublishException> in(Throwable failure)
    {
        return Causes.find(failure, StoppedBeforePublishException.class);
    }
}
