package org.eventetl.storage;

import java.io.IOException;

/**
 * An entry of a source folder that a load refuses whatever the user's access (a symbolic link, a
 * pipe): its message says what it is and what to do, so no advice about access is added to it.
 */
public final class RefusedSourceFileException
        extends IOException
{
    public RefusedSourceFileException(String message)
    {
        super(message);
    }
}
