package org.eventetl.history;

/**
 * Where in its life a load was when it ended, as its run record says ({@link RunRecord#phase()},
 * which names a step or an audit instead when one failed). The recorded words are those of the
 * history already written, so that older records read the same.
 */
public enum RunPhase
{
    /** Taking the lease, writing its run record, copying what the steps read: nothing published changed. */
    START("start"),
    /** Tidying what dead runs left, which may mean finishing a cut publish of another run. */
    TIDY("tidy"),
    STEPS("steps"),
    AUDITS("audits"),
    /** Uploading and renewing the lease before the first swap: nothing published changed yet. */
    PUBLISH_PREPARATION("publish preparation"),
    /** Swapping the datasets in, the pointer, the record: the published day may mix two runs until it ends. */
    PUBLISH("publish"),
    /** Every dataset swapped in; the afterPublish callbacks (on Trino and Athena, the partitions' registration). */
    AFTER_PUBLISH("afterPublish");

    private final String recorded;

    RunPhase(String recorded)
    {
        this.recorded = recorded;
    }

    /** The phase as a run record holds it. */
    public String recorded()
    {
        return recorded;
    }

    /**
     * Where a run failed, in words for a line of status: "in V2__event_details", "in publish", and
     * for the run's first phase "before its first step" ("in start" would read as a step's name).
     */
    public static String where(String recordedPhase)
    {
        return START.recorded.equals(recordedPhase) ? "before its first step" : "in " + recordedPhase;
    }

    /** Whether a run record's phase says the run had begun to replace published datasets. */
    public static boolean publishing(String recordedPhase)
    {
        return PUBLISH.recorded.equals(recordedPhase) || AFTER_PUBLISH.recorded.equals(recordedPhase);
    }
}
