package org.eventetl.cli;

/**
 * A failure the user caused and can fix (bad flag, bad partition, missing source): it is reported
 * as one line and exits with {@link ExitCode#REFUSED}, and nothing has been deleted or written.
 */
public class UserException
        extends RuntimeException
{
    public UserException(String message)
    {
        super(message);
    }

    public UserException(String message, Throwable cause)
    {
        super(message, cause);
    }
}
