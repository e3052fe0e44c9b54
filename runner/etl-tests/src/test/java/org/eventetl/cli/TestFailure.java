package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;

import org.junit.jupiter.api.Test;

import org.eventetl.model.LoadFailedException;
import org.eventetl.model.UserException;
import org.eventetl.storage.DamagedFileException;
import org.eventetl.storage.Location;

import static org.assertj.core.api.Assertions.assertThat;

class TestFailure
{
    @Test
    void eachKindOfFailureHasItsExitCode()
    {
        assertThat(Failure.of(new UserException("day=32 is no day"))).isEqualTo(new Failure(ExitCode.REFUSED, "day=32 is no day", false));
        assertThat(Failure.of(new LoadFailedException("V2 failed", new IOException("disk")))).isEqualTo(new Failure(ExitCode.STEP_FAILED, "V2 failed", true));
        assertThat(Failure.of(new UncheckedIOException(new DamagedFileException(new Location("/out/_etl/x.json"), "it names another partition")))).satisfies(failure -> {
            assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
            assertThat(failure.line()).contains("/out/_etl/x.json is damaged").endsWith("; " + DamagedFileException.ADVICE);
        });
        assertThat(Failure.of(new NoSuchFileException("/out/dau")).exitCode()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(Failure.of(new IllegalStateException("oops")).line()).startsWith("internal error (a bug in etl): IllegalStateException: oops");
    }

    /** Under LANG=C, Java cannot spell été.json: it was "a bug in etl", exit 70, for load, status and backfill. */
    @Test
    void aNameTheLocaleCannotSpellIsARefusal()
    {
        Failure failure = Failure.of(new InvalidPathException("/src/day/??t??.json", "Malformed input or input contains unmappable characters"));
        assertThat(failure.exitCode()).isEqualTo(ExitCode.REFUSED);
        assertThat(failure.line()).contains("/src/day/??t??.json holds characters that this process's locale").endsWith("run under a UTF-8 locale (LC_ALL=C.UTF-8)");
    }
}
