package org.eventetl.engine.trino;

import org.eventetl.config.Settings;

import static java.util.Objects.requireNonNull;

/** Where the Trino coordinator is and which catalog and schema hold the ETL's tables (one schema per output root). */
public record TrinoSettings(String url, String user, String catalog, String schema)
{
    public TrinoSettings
    {
        requireNonNull(url, "url is null");
        requireNonNull(user, "user is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(schema, "schema is null");
    }

    public static TrinoSettings from(Settings settings)
    {
        return new TrinoSettings(settings.get("trino.url"), settings.get("trino.user"), settings.get("trino.catalog"), settings.get("trino.schema"));
    }
}
