package org.eventetl.render;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An audit or a callback rendered for one run: its id (the file name without {@code .sql}), the SQL
 * and its statements. A callback may have none on an engine whose section it lacks.
 */
public record RenderedScript(String id, String file, String engine, String sql, List<String> statements)
{
    public RenderedScript
    {
        requireNonNull(id, "id is null");
        requireNonNull(file, "file is null");
        requireNonNull(engine, "engine is null");
        requireNonNull(sql, "sql is null");
        statements = List.copyOf(requireNonNull(statements, "statements is null"));
    }
}
