package org.eventetl.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;


/** The engines the runner can execute steps on; each names the Mustache section its SQL sits in. */
public enum EngineKind
{
    /** Embedded; reads and writes local files only (its S3 extension would be downloaded at run time). */
    DUCKDB(true, "duckdb"),
    TRINO(false, "trino"),
    /** Runs Trino's engine for queries: SQL written for Trino's dialect runs on it too. */
    ATHENA(false, "trino");

    private final boolean localFilesOnly;
    private final String dialect;

    EngineKind(boolean localFilesOnly, String dialect)
    {
        this.localFilesOnly = localFilesOnly;
        this.dialect = dialect;
    }

    /**
     * The SQL dialect of its queries: templates may write a section for a dialect
     * ({@code {{#trino_sql}}}) where the engines that share it need the same SQL.
     */
    public String dialect()
    {
        return dialect;
    }

    /** Whether a run on {@code s3://} must work on local copies of its files, and publish from them. */
    public boolean readsLocalFilesOnly()
    {
        return localFilesOnly;
    }

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
