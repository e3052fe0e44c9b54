package org.eventetl.model;

/**
 * A failure the user caused and can fix (bad flag, bad partition, missing source): it is reported
 * as one line and exits with exit code 2, and nothing has been deleted or written.
 */
public class UserException
        extends EtlException
{
    public UserException(String message)
    {
        super(Kind.REFUSED, message, null);
    }

    public UserException(String message, Throwable cause)
    {
        super(Kind.REFUSED, message, cause);
    }
}
