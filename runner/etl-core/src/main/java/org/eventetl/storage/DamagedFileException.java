package org.eventetl.storage;

import java.io.IOException;

/**
 * A file the runner wrote for itself (a history record, a publication pointer) that is there but
 * cannot be read back as what the runner writes: cut short by a full disk, or edited by hand. What
 * helps is moving it away, not checking access; the message names the file and what is wrong.
 */
public final class DamagedFileException
        extends IOException
{
    public DamagedFileException(Location file, IOException cause)
    {
        super(file + " is damaged: not the JSON the runner writes (" + String.valueOf(cause.getMessage()).lines().findFirst().orElse("") + ")", cause);
    }
}
