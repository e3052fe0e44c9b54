package org.eventetl.history;

/** Where a partition stands, as {@code etl status} says it and {@code backfill --only-stale} acts on it. */
public enum PartitionState
{
    /** Published, every step applied with today's SQL, and no later attempt needs a look. */
    CURRENT(true),
    /** Published, but a step's template or rendered SQL changed since, or a step is new: reload it. */
    OUTDATED(false),
    /** Never published; its source exists (or status had no source to look in). */
    PENDING(false),
    /**
     * A run after the published one failed. The published data is intact, unless the run failed in
     * its publish: then its datasets may mix two runs until a rerun or repair finishes that publish
     * (the status line says which datasets it had replaced).
     */
    FAILED(false),
    /** A run after the published one was killed or lost its machine (no end recorded, its lease gone). */
    INTERRUPTED(false),
    /** A run holds the partition's lease now. */
    RUNNING(false),
    /** No source folder and nothing published: there is nothing to load, and nothing is wrong. */
    NO_SOURCE(true),
    /**
     * A file or folder of the day could not be read (a damaged history record or pointer, a source
     * folder that may not be read, a storage that failed its reads): status of a range says why on
     * the day's line and goes on with the other days, then exits 2, or 1 where the storage failed
     * every such day.
     */
    UNREADABLE(false);

    private final boolean good;

    PartitionState(boolean good)
    {
        this.good = good;
    }

    /** Whether this state needs no action (status exits 0 only when every partition's does not). */
    public boolean good()
    {
        return good;
    }
}
