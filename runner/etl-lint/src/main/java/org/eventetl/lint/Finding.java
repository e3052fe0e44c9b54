package org.eventetl.lint;

import static java.util.Objects.requireNonNull;

/**
 * One problem lint found, printed as
 * {@code sql/V2__event_details.sql:12:5: [write-outside-target] duckdb: message}: the file relative
 * to the project, the line and column in the template (not in the rendered SQL, which nobody
 * edits), the rule that found it ({@link LintRule#id()}) and the engine whose rendering shows it.
 */
public record Finding(String file, int line, int column, String engine, String rule, String message)
{
    public Finding
    {
        requireNonNull(file, "file is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(rule, "rule is null");
        requireNonNull(message, "message is null");
        // one finding, one line: a message that holds line breaks (Mustache quotes the text it
        // stopped at) would read as several findings, and a grep for "file:line:" would miss the rest
        message = message.strip().replaceAll("\\s*\\R\\s*", " ");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line and column must be positive: " + line + ":" + column);
        }
    }

    @Override
    public String toString()
    {
        return file + ":" + line + ":" + column + ": [" + rule + "] " + engine + ": " + message;
    }
}
