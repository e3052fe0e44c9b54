package org.eventetl.cli;

import java.io.PrintStream;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * Where a command writes (summary to {@code out}, progress and errors to {@code err}) and where the
 * project's {@code sql/} and {@code templates/} are ({@code home}).
 */
public record Console(PrintStream out, PrintStream err, Path home, boolean interactive)
{
    public Console
    {
        requireNonNull(out, "out is null");
        requireNonNull(err, "err is null");
        requireNonNull(home, "home is null");
    }

    public Path sqlFolder()
    {
        return home.resolve("sql");
    }

    public Path templatesFolder()
    {
        return home.resolve("templates");
    }
}
