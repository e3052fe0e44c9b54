package org.eventetl.storage;

import java.io.IOException;

/**
 * An object whose body came cut short twice (the connection closed mid-object): the storage's
 * failure, as a dropped connection is, and so an outage to rerun after, not a refusal.
 */
public final class BodyCutShortException
        extends IOException
{
    public BodyCutShortException(Location file, long received, long expected)
    {
        super(file + ": the storage sent " + received + " of its " + expected + " bytes, twice (the connection closed mid-object)");
    }
}
