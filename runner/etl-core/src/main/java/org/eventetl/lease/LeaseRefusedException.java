package org.eventetl.lease;

import org.eventetl.model.UserException;

/** Another run holds the partition: this run is refused (exit 2) and touches nothing. */
public final class LeaseRefusedException
        extends UserException
{
    private final boolean holderStalled;

    /** Refused by a live holder, which will finish the partition or give it back. */
    public LeaseRefusedException(String message)
    {
        this(message, false);
    }

    /**
     * @param holderStalled whether the holder is stopped in the middle of a change of the lease
     *         (SIGSTOP, a hung disk): it may never finish, so a backfill does not leave the day to it
     */
    public LeaseRefusedException(String message, boolean holderStalled)
    {
        super(message);
        this.holderStalled = holderStalled;
    }

    public boolean holderStalled()
    {
        return holderStalled;
    }
}
