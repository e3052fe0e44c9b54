package org.eventetl.engine.athena;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static java.util.Objects.requireNonNull;

/**
 * Capped exponential backoff: the n-th wait is {@code initial * 2^n}, at most {@code cap}. With
 * jitter, a wait is drawn between half of that and all of it, so that runs throttled together (a
 * parallel backfill) do not come back together; polling needs no jitter.
 */
final class Backoff
{
    private final Duration initial;
    private final Duration cap;
    private final boolean jitter;

    Backoff(Duration initial, Duration cap, boolean jitter)
    {
        this.initial = requireNonNull(initial, "initial is null");
        this.cap = requireNonNull(cap, "cap is null");
        this.jitter = jitter;
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= cap, got " + initial + " and " + cap);
        }
    }

    /** The wait before attempt {@code attempt + 1}, counting from 0. */
    Duration delay(int attempt)
    {
        if (attempt < 0) {
            throw new IllegalArgumentException("attempt is negative: " + attempt);
        }
        // 2^30 times any initial wait is past any cap: stop doubling before the multiplication overflows
        long millis = Math.min(cap.toMillis(), initial.toMillis() << Math.min(attempt, 30));
        if (!jitter) {
            return Duration.ofMillis(millis);
        }
        long half = millis / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(millis - half + 1));
    }
}
