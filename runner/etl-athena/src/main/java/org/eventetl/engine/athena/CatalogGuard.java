package org.eventetl.engine.athena;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.MetadataException;

import org.eventetl.model.StepFailedException;

import static java.util.Objects.requireNonNull;

/**
 * Keeps the engine off another root's tables. A Glue table's location is fixed when it is made,
 * and the tables outlive the run: a database shared by two source or output roots would have one
 * root's loads read the other's lines (raw_lines), publish where users never look (the dataset
 * tables), or, when V1 applies a changed definition by dropping and re-creating its tables, take
 * the tables over from the other root. So before V1 replaces a table, and before the first
 * statement that reads raw_lines or writes a dataset, the table's location (its projection's
 * {@code storage.location.template}, a table property that GetTableMetadata returns among its
 * parameters) must lie under the root this run gives it. A table that does not exist yet passes:
 * V1 makes it, or the query says it is missing.
 */
final class CatalogGuard
{
    static final String RAW_TABLE = "raw_lines";
    static final String LOCATION_TEMPLATE = "storage.location.template";

    private final AthenaClient client;
    private final AthenaCalls calls;
    private final AthenaSettings settings;
    private final Set<String> verified = new HashSet<>();

    CatalogGuard(AthenaClient client, AthenaCalls calls, AthenaSettings settings)
    {
        this.client = requireNonNull(client, "client is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /** Before V1 drops and makes its tables again: each one that exists must be this root's. */
    void beforeSchema(List<ExternalTable> tables)
    {
        for (ExternalTable table : tables) {
            check(table.name(), table.location(), "V1 would drop it and make it read this one");
        }
    }

    /** Before the first statement that reads the source lines: raw_lines must read the load's --source. */
    void beforeReadingSource()
    {
        settings.sourceRoot().ifPresent(source -> verifyOnce(RAW_TABLE, source + "/"));
    }

    /** Before the first write to a dataset: its table must show the load's --output. */
    void beforeWriting(String dataset, String datasetRoot)
    {
        verifyOnce(dataset, datasetRoot);
    }

    private void verifyOnce(String table, String root)
    {
        if (verified.add(table)) {
            check(table, root, "this load would read and publish under another root than its table shows");
        }
    }

    private void check(String table, String root, String consequence)
    {
        Optional<String> reads = reads(table);
        if (reads.isPresent() && !reads.get().startsWith(root)) {
            String kind = table.equals(RAW_TABLE) ? "source" : "output";
            throw new StepFailedException("table " + settings.database() + "." + table + " reads " + reads.get() + ", not under " + root
                    + ": it was made for another " + kind + " root, and " + consequence
                    + "; give each source and output root a database of its own (athena.database)", null);
        }
    }

    /** Where a table reads (its projection's template, else its location), or empty when it does not exist or does not say. */
    private Optional<String> reads(String table)
    {
        Map<String, String> parameters;
        try {
            parameters = calls.call("GetTableMetadata", () -> client.getTableMetadata(request -> request
                    .catalogName(settings.catalog()).databaseName(settings.database()).tableName(table))).tableMetadata().parameters();
        }
        catch (StepFailedException e) {
            if (missing(e.getCause())) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.ofNullable(parameters.get(LOCATION_TEMPLATE)).or(() -> Optional.ofNullable(parameters.get("location")));
    }

    /** How GetTableMetadata says a table does not exist (a MetadataException; an InvalidRequestException saying so is taken the same way). */
    private static boolean missing(Throwable cause)
    {
        return cause instanceof MetadataException
                || cause instanceof InvalidRequestException && String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("not found");
    }
}
