package org.eventetl.storage;

import java.io.IOException;
import java.util.Optional;

import org.eventetl.model.Causes;

/**
 * A file the runner wrote for itself (a history record, a publication pointer) that is there but
 * cannot be read back as what the runner writes: cut short by a full disk, or edited by hand. What
 * helps is moving it away, not checking access; the message names the file and what is wrong.
 */
public final class DamagedFileException
        extends IOException
{
    /** What a person does about it, said after the message by every command that meets one. */
    public static final String ADVICE = "move the damaged file away and rerun";

    public DamagedFileException(Location file, IOException cause)
    {
        super(file + " is damaged: not the JSON the runner writes (" + String.valueOf(cause.getMessage()).lines().findFirst().orElse("") + ")", cause);
    }

    /** A file that reads as what the runner writes but cannot be what it wrote there (a pointer naming another partition). */
    public DamagedFileException(Location file, String reason)
    {
        super(file + " is damaged: " + reason);
    }

    /** The damaged file anywhere in a failure's causes: a command names it and gives {@link #ADVICE}. */
    public static Optional<DamagedFileException> in(Throwable failure)
    {
        return Causes.find(failure, DamagedFileException.class);
    }
}
