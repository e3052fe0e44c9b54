package org.eventetl.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;


/** The engines the runner can execute steps on; each names the Mustache section its SQL sits in. */
public enum EngineKind
{
    DUCKDB,
    TRINO,
    ATHENA;

    public String id()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EngineKind parse(String text)
    {
        for (EngineKind kind : values()) {
            if (kind.id().equals(text)) {
                return kind;
            }
        }
        throw new UserException("unknown engine '" + text + "'; choose one of: " + ids());
    }

    public static String ids()
    {
        return Arrays.stream(values()).map(EngineKind::id).collect(Collectors.joining(", "));
    }
}
