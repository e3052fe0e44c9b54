package org.eventetl.cli;

/** The process exit codes of design section 6, one place so that commands and tests agree. */
public final class ExitCode
{
    public static final int DONE = 0;
    public static final int STEP_FAILED = 1;
    public static final int REFUSED = 2;
    /** status: something is pending, failed or outdated (so that a cron job can alert). */
    public static final int NOT_CURRENT = 3;

    private ExitCode() {}
}
