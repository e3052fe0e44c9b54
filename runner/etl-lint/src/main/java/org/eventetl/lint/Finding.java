package org.eventetl.lint;

import static java.util.Objects.requireNonNull;

/**
 * One problem lint found, printed as {@code sql/V2__event_details.sql:6: [duckdb] message}: the
 * file relative to the project, the line in the template (not in the rendered SQL, which nobody
 * edits) and the engine whose rendering shows the problem.
 */
public record Finding(String file, int line, String engine, String message)
{
    public Finding
    {
        requireNonNull(file, "file is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(message, "message is null");
        if (line < 1) {
            throw new IllegalArgumentException("line must be positive: " + line);
        }
    }

    @Override
    public String toString()
    {
        return file + ":" + line + ": [" + engine + "] " + message;
    }
}
