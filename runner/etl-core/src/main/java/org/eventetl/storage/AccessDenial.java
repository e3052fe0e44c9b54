package org.eventetl.storage;

import java.nio.file.AccessDeniedException;

import org.eventetl.model.Causes;

import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells a read or write that was denied: a local file this user may not read, or S3 answering 403
 * (a policy that refuses the key, credentials it does not take, a clock too far off). The user's to
 * fix, never the storage's to heal: a run that meets one after it began fails as refused (exit 2),
 * so that a scheduler does not retry it as it retries an outage ({@link StorageOutage}).
 */
public final class AccessDenial
{
    private AccessDenial() {}

    /** Whether a failure, or one of its causes, is such a denial. */
    public static boolean in(Throwable failure)
    {
        return Causes.find(failure, AccessDeniedException.class).isPresent()
                || Causes.find(failure, SdkServiceException.class).filter(e -> e.statusCode() == 403).isPresent();
    }
}
