package org.eventetl.storage;

import java.io.IOException;
import java.net.UnknownHostException;

import org.eventetl.model.Causes;

import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells a storage that failed from a request it refused. S3 answering 5xx or "slow down", a call
 * that timed out, a connection refused or dropped: none of these is the user's to fix, and the
 * same command may well succeed in a minute, so the commands report them as failures (exit 1),
 * which schedulers retry, and not as refusals (exit 2) like a missing bucket, missing credentials,
 * a denied access or an endpoint whose name does not resolve (a misspelt setting, most often).
 * The SDK has already retried each such call before it failed.
 */
public final class StorageOutage
{
    private StorageOutage() {}

    /** Whether a failure, or one of its causes, is such an outage of the object store. */
    public static boolean in(Throwable failure)
    {
        if (Causes.find(failure, SdkServiceException.class).map(StorageOutage::serviceFailed).orElse(false)) {
            return true;
        }
        return Causes.find(failure, SdkClientException.class).map(StorageOutage::unanswered).orElse(false);
    }

    private static boolean serviceFailed(SdkServiceException e)
    {
        return e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException();
    }

    /** A request that got no answer: the network's failure, unless the endpoint's name does not resolve. */
    private static boolean unanswered(SdkClientException e)
    {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        return Causes.find(e, IOException.class).isPresent() && Causes.find(e, UnknownHostException.class).isEmpty();
    }
}
