package org.eventetl.storage;

/**
 * A prefix under an output root that the runner owns, and so the only kind of thing a storage
 * clears: a dataset's published partition, a dataset's staged partition of one run, or one run's
 * whole staging area. Being types rather than strings, a bucket, a dataset root or a partial
 * partition path cannot be handed to {@link Storage#clear} by mistake.
 */
public sealed interface OwnedPrefix
        permits PublishedPrefix, StagedPrefix, RunStaging
{
    Location location();

    /** With the trailing slash, so that {@code channel=android} never matches {@code channel=android2}. */
    default String prefix()
    {
        return location().asPrefix();
    }
}
