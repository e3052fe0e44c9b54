package org.eventetl.load;

import org.eventetl.model.EtlException;

/**
 * An afterPublish callback failed after every dataset of the run was swapped in: the publish is
 * not finished (the run is not recorded as published), but nothing mixes two runs. Whoever
 * catches it adds what to do, which depends on who was finishing that publish.
 */
final class AfterPublishFailedException
        extends EtlException
{
    AfterPublishFailedException(String runId, String partition, EtlException cause)
    {
        super(Kind.FAILED, "run " + runId + " replaced every dataset of " + partition + ", but its afterPublish callback failed: " + cause.getMessage(), cause);
    }
}
