package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;

import org.eventetl.model.Causes;
import org.eventetl.model.EtlException;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.StorageOutage;

import static java.util.Objects.requireNonNull;

/**
 * A failure as the user is told it: its exit code and its line (without "etl: "). One mapping for
 * the whole command ({@link Etl}) and for each day of a range that goes on past a failed day
 * ({@link RepairCommand}), so that a damaged file is the same refusal, with the same advice, either way.
 *
 * @param traceSays whether the stack trace adds anything for --verbose: a refusal of the runner's
 *         own (day=32, a missing source) is said whole in its line
 */
record Failure(int exitCode, String line, boolean traceSays)
{
    Failure
    {
        requireNonNull(line, "line is null");
    }

    /**
     * A failure the runner expects carries its kind ({@link EtlException}): refused (2) or failed
     * (1). A file-system failure that no layer explained is a failure (1) with its path and reason,
     * or a refusal (2) when a file of the runner's is damaged (found before anything was written).
     * Anything else is a bug in etl (70), said as such, so that it is neither retried as a failed
     * step nor mistaken for the user's mistake.
     */
    static Failure of(Throwable e)
    {
        if (e instanceof EtlException failure) {
            int code = switch (failure.kind()) {
                case REFUSED -> ExitCode.REFUSED;
                case FAILED -> ExitCode.STEP_FAILED;
            };
            return new Failure(code, String.valueOf(failure.getMessage()), failure.kind() == EtlException.Kind.FAILED || failure.getCause() != null);
        }
        if (e instanceof IOException || e instanceof UncheckedIOException) {
            if (DamagedFileException.in(e).isPresent()) {
                // as status finds it: the same refusal and advice
                return new Failure(ExitCode.REFUSED, FileProblems.describe(e) + "; " + DamagedFileException.ADVICE, true);
            }
            if (Causes.find(e, IOException.class, io -> FileReasons.fileInTheWay(io).isPresent()).isPresent()) {
                // a file made where the runner keeps a folder (its _etl/locks, say): no rerun gets past
                // it, as status says when it meets it first
                return new Failure(ExitCode.REFUSED, FileProblems.describe(e) + "; move that file away, then rerun", true);
            }
            String advice = StorageOutage.in(e) ? StorageOutage.ADVICE : "check that location and your access to it (and free space), then rerun";
            return new Failure(ExitCode.STEP_FAILED, FileProblems.describe(e) + "; " + advice, true);
        }
        if (e instanceof InvalidPathException invalid) {
            // a file's name that the locale's encoding cannot spell (été.json under LANG=C): Java cannot
            // even list it; bin/etl runs under C.UTF-8 where the system has it
            return new Failure(ExitCode.REFUSED, "the path " + invalid.getInput() + " holds characters that this process's locale (its encoding "
                    + System.getProperty("sun.jnu.encoding") + ") cannot spell; run under a UTF-8 locale (LC_ALL=C.UTF-8)", true);
        }
        if (e instanceof OutOfMemoryError) {
            // the heap is bin/etl's -Xmx (DuckDB's memory is its own, outside it); a stack trace would say nothing to act on
            return new Failure(ExitCode.STEP_FAILED, "out of memory: the Java heap (at most " + Runtime.getRuntime().maxMemory() / (1024 * 1024)
                    + " MB) was too small; rerun with a larger one (ETL_JAVA_OPTS=-Xmx2g bin/etl …), and report it with --verbose's stack trace", true);
        }
        return new Failure(ExitCode.INTERNAL_ERROR, "internal error (a bug in etl): " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + "; rerun with --verbose and report the stack trace", true);
    }
}
