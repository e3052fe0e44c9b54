package org.eventetl.engine.athena;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.render.Statements;

import static java.util.Objects.requireNonNull;

/**
 * What the engine needs of a {@code CREATE EXTERNAL TABLE} of V1 before it runs it: the table's
 * name and where it reads, its {@code LOCATION} (lint checks the rest of the statement).
 */
record ExternalTable(String name, String location)
{
    private static final Pattern NAME = Pattern.compile(
            "(?is)^CREATE\\s+EXTERNAL\\s+TABLE\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?(?:(?:`[^`]+`|\"[^\"]+\"|\\w+)\\.)?[`\"]?(\\w+)[`\"]?.*");
    private static final Pattern LOCATION = Pattern.compile("(?is).*\\bLOCATION\\s+'([^']*)'.*");

    ExternalTable
    {
        requireNonNull(name, "name is null");
        requireNonNull(location, "location is null");
    }

    static Optional<ExternalTable> of(String sql)
    {
        String statement = Statements.withoutLeadingComments(sql);
        Matcher name = NAME.matcher(statement);
        Matcher location = LOCATION.matcher(statement);
        if (!name.matches() || !location.matches()) {
            return Optional.empty();
        }
        return Optional.of(new ExternalTable(name.group(1).toLowerCase(Locale.ROOT), location.group(1)));
    }
}
