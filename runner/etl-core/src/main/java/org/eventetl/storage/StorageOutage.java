package org.eventetl.storage;

import java.io.IOException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import org.eventetl.model.Causes;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkServiceException;

/**
 * Tells a storage that failed from a request it refused. S3 answering 5xx or "slow down", a call
 * that timed out, a connection refused or dropped: none of these is the user's to fix, and the
 * same command may well succeed in a minute, so the commands report them as failures (exit 1),
 * which schedulers retry, and not as refusals (exit 2) like a missing bucket, missing credentials,
 * a denied access, an endpoint whose name does not resolve (a misspelt setting, most often), TLS
 * that fails, or an endpoint whose answers are not S3's.
 * The SDK has already retried each such call before it failed.
 */
public final class StorageOutage
{
    /** What every command says to do about such a failure: nothing to fix, the same command again. */
    public static final String ADVICE = "the storage failed, not the command: rerun it";

    private StorageOutage() {}

    /** Whether a failure, or one of its causes, is such an outage of the object store. */
    public static boolean in(Throwable failure)
    {
        if (Causes.find(failure, BodyCutShortException.class).isPresent()) {
            return true;
        }
        if (Causes.find(failure, SdkServiceException.class).map(StorageOutage::serviceFailed).orElse(false)) {
            return true;
        }
        return Causes.find(failure, SdkClientException.class).map(StorageOutage::unanswered).orElse(false);
    }

    /** S3's own 5xx or throttling; an answer without S3's error (a web server or proxy on the endpoint) is no S3 to wait for. */
    private static boolean serviceFailed(SdkServiceException e)
    {
        boolean fromS3 = !(e instanceof AwsServiceException aws) || aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null;
        return fromS3 && (e.statusCode() >= 500 || e.statusCode() == 429 || e.isThrottlingException());
    }

    /** A request that got no answer: the network's failure, unless the endpoint's name does not resolve or TLS failed. */
    private static boolean unanswered(SdkClientException e)
    {
        if (e instanceof ApiCallTimeoutException || e instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        // (TLS that fails, a certificate not trusted or https to a plain-http endpoint, is a setting to fix too)
        return Causes.find(e, IOException.class).isPresent() && Causes.find(e, UnknownHostException.class).isEmpty() && Causes.find(e, SSLException.class).isEmpty();
    }
}
