package org.eventetl.model;

import java.util.Optional;
import java.util.function.Predicate;

/** A failure of a given kind among another's causes, however many layers wrapped it. */
public final class Causes
{
    private Causes() {}

    /** {@code failure} itself, or the first of its causes, that is a {@code kind}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> kind)
    {
        return find(failure, kind, cause -> true);
    }

    /** {@code failure} itself, or the first of its causes, that is a {@code kind} and {@code holds}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> kind, Predicate<? super T> holds)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause) && holds.test(kind.cast(cause))) {
                return Optional.of(kind.cast(cause));
            }
        }
        return Optional.empty();
    }
}
