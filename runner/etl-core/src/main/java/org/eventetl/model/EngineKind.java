package org.eventetl.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;


/** The engines the runner can execute steps on; each names the Mustache section its SQL sits in. */
public enum EngineKind
{
    /**
     * Embedded; reads and writes local files only (its S3 extension would be downloaded at run time).
     * Its gzip reader does not check a member's CRC-32 and length trailer.
     */
    DUCKDB(true, "duckdb", false),
    /** Its Hive connector reads gzip through airlift's JdkGzipCodec, the JDK's GZIPInputStream, which checks each trailer. */
    TRINO(false, "trino", true),
    /**
     * Runs Trino's engine for queries: SQL written for Trino's dialect runs on it too. That it checks
     * gzip trailers as Trino does is assumed, not tried (nothing here runs Athena live).
     */
    ATHENA(false, "trino", true);

    private final boolean localFilesOnly;
    private final String dialect;
    private final boolean checksGzipTrailers;

    EngineKind(boolean localFilesOnly, String dialect, boolean checksGzipTrailers)
    {
        this.localFilesOnly = localFilesOnly;
        this.dialect = dialect;
        this.checksGzipTrailers = checksGzipTrailers;
    }

    /**
     * Whether its reader fails on a gzip file whose checksum does not match what it decodes. One that
     * does not decodes a flipped bit into lines of garbage, which a day would take for rejects, so the
     * runner checks the files itself before the steps ({@code GzipCheck}).
     */
    public boolean checksGzipTrailers()
    {
        return checksGzipTrailers;
    }

    /**
     * Whether its line reader may drop a line longer than load.max-line-bytes without a trace (DuckDB's,
     * where such a line lies across two of its read buffers), so the runner finds those lines itself
     * before the steps ({@code LongLines}) and audit A10 checks each was kept as a reject.
     */
    public boolean mayDropLongLines()
    {
        return this == DUCKDB;
    }

    /**
     * The SQL dialect of its queries: templates may write a section for a dialect
     * ({@code {{#trino_sql}}}) where the engines that share it need the same SQL.
     */
    public String dialect()
    {
        return dialect;
    }

    /**
     * Whether readers see a published day only once the engine's own catalog lists it (Trino's
     * metastore); Athena's tables find a day by projection, and DuckDB has no catalog.
     */
    public boolean keepsPartitionCatalog()
    {
        return this == TRINO;
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
