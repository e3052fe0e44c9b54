package org.eventetl.load;

import java.io.IOException;

/**
 * A dead run's staged dataset is no longer what the run staged, so its publish cannot be finished:
 * a load that meets it leaves that publish (its own replaces every dataset), and repair refuses.
 */
final class IncompleteStagingException
        extends IOException
{
    IncompleteStagingException(String message)
    {
        super(message);
    }
}
