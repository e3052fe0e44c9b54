package org.eventetl.cli;

/** The process exit codes (docs/operations.md, "Exit codes"), in one place so that commands, help and tests agree. */
public final class ExitCode
{
    public static final int DONE = 0;
    public static final int STEP_FAILED = 1;
    public static final int REFUSED = 2;
    /** status: something is pending, failed or outdated (so that a cron job can alert). */
    public static final int NOT_CURRENT = 3;
    /** A bug in etl, not the user's input nor a step: EX_SOFTWARE of sysexits.h, so a scheduler can tell it apart. */
    public static final int INTERNAL_ERROR = 70;
    /** SIGHUP (a closed terminal, a dropped ssh session): 128 + 1. The JVM exits with it, as with SIGTERM. */
    public static final int HUNG_UP = 129;
    /** Ctrl-C (SIGINT): 128 + 2, as shells report a process that the signal ended; the JVM exits with it. */
    public static final int INTERRUPTED = 130;
    /** SIGTERM (a scheduler, kill): 128 + 15. The JVM exits with it whatever the command returns, as it began the shutdown. */
    public static final int TERMINATED = 143;

    private ExitCode() {}
}
