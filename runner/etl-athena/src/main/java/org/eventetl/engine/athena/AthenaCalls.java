package org.eventetl.engine.athena;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.athena.model.InternalServerException;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

import org.eventetl.model.Causes;
import org.eventetl.model.StepFailedException;

import static java.util.Objects.requireNonNull;

/**
 * The runner's retry policy for one Athena API call, the SDK's own retries being off: the call is
 * made again, after capped and jittered backoff, when Athena throttles it or reports an internal
 * error, and when the network fails it (a reset connection, a timed-out attempt). The caller hands
 * over one request object, so a StartQueryExecution retried carries the same client request token
 * each time, and Athena, which answers a known token with the query it already started, never
 * runs it twice. Anything else (a refused request, missing credentials) fails at once.
 */
final class AthenaCalls
{
    /** Attempts of a throttled call: throttling passes once the account's other queries slow down. */
    static final int THROTTLED_ATTEMPTS = 8;
    /** Attempts of a call the network failed: a few seconds of retries ride out a reset, not an outage. */
    static final int NETWORK_ATTEMPTS = 5;

    /** Why a failed call may be made again, or not. */
    enum Failure
    {
        /** Athena asked the caller to slow down, or had an internal error: the same call later may succeed */
        THROTTLED,
        /** the request or its answer was lost on the way (reset, timeout): Athena may or may not have received it */
        NETWORK,
        /** an answer that another attempt would not change */
        FINAL,
    }

    private final Backoff backoff;
    private final Optional<String> endpoint;

    AthenaCalls(Backoff backoff, Optional<String> endpoint)
    {
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
    }

    <T> T call(String operation, Supplier<T> request)
    {
        int attempt = 0;
        while (true) {
            try {
                return request.get();
            }
            catch (SdkException e) {
                Failure failure = classify(e);
                if (attempt + 1 >= attempts(failure)) {
                    throw failed(operation, e, failure, attempt + 1);
                }
            }
            sleep(backoff.delay(attempt++));
        }
    }

    private static int attempts(Failure failure)
    {
        return switch (failure) {
            case THROTTLED -> THROTTLED_ATTEMPTS;
            case NETWORK -> NETWORK_ATTEMPTS;
            case FINAL -> 1;
        };
    }

    static Failure classify(SdkException e)
    {
        if (e instanceof AwsServiceException service) {
            if (service instanceof TooManyRequestsException || service instanceof InternalServerException || service.isThrottlingException()) {
                return Failure.THROTTLED;
            }
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode();
            return "ThrottlingException".equals(code) || "ServiceUnavailable".equals(code) || service.statusCode() == 503 ? Failure.THROTTLED : Failure.FINAL;
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            return Failure.NETWORK;
        }
        // a reset or refused connection, an answer cut short: the SDK wraps the I/O failure
        return Causes.find(e.getCause(), IOException.class).isPresent() ? Failure.NETWORK : Failure.FINAL;
    }

    private StepFailedException failed(String operation, SdkException e, Failure failure, int attempts)
    {
        String after = attempts > 1 ? " after " + attempts + " attempts" : "";
        if (e instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? "" : service.awsErrorDetails().errorCode() + ": ";
            String message = service.awsErrorDetails() == null ? service.getMessage() : service.awsErrorDetails().errorMessage();
            return new StepFailedException("Athena " + operation + " failed" + after + ": " + code + message, e);
        }
        if (e instanceof SdkClientException && failure == Failure.NETWORK) {
            return new StepFailedException("cannot reach Athena" + endpoint.map(at -> " at " + at).orElse("") + " for " + operation + after + ": "
                    + StepFailedException.firstLine(e.getMessage(), e.getClass().getSimpleName()), e);
        }
        return new StepFailedException("Athena " + operation + " failed: " + StepFailedException.firstLine(e.getMessage(), e.getClass().getSimpleName()), e);
    }

    /** Waits before Athena is asked again; an interrupt (Ctrl-C) ends the wait and the step. */
    static void sleep(Duration duration)
    {
        try {
            Thread.sleep(duration.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailedException("interrupted while waiting to ask Athena again", e);
        }
    }
}
