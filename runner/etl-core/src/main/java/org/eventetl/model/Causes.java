package org.eventetl.model;

import java.util.Optional;

/** A failure of a given kind among another's causes, however many layers wrapped it. */
public final class Causes
{
    private Causes() {}

    /** {@code failure} itself, or the first of its causes, that is a {@code kind}. */
    public static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> kind)
    {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return Optional.of(kind.cast(cause));
            }
        }
        return Optional.empty();
    }
}
