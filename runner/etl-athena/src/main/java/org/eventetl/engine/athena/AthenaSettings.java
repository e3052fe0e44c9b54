package org.eventetl.engine.athena;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Pattern;

import org.eventetl.config.Settings;
import org.eventetl.model.UserException;
import org.eventetl.storage.Location;

import static java.util.Objects.requireNonNull;

/**
 * Where Athena runs the steps and what its scans cost. Credentials are never settings: the AWS
 * default chain (environment, profile, SSO, instance role) supplies them.
 *
 * @param region the region of the workgroup; empty: the default chain's (AWS_REGION, the profile)
 * @param resultLocation where Athena keeps query results and UNLOAD manifests; empty: the workgroup's own
 * @param endpoint a VPC or FIPS endpoint (or the tests' stub) instead of the region's public one
 * @param pricePerTerabyte USD per TB (10^12 bytes) scanned, the workgroup's price
 * @param queryTimeout how long one query may be queued and running before it is stopped
 * @param sourceRoot the load's {@code s3://} source root (the {@code source} setting, which
 *         {@code --source} overrides), that the table of raw lines must read; empty when the
 *         source is not on S3 (a load refuses it then)
 */
public record AthenaSettings(
        Optional<String> region,
        String workgroup,
        String catalog,
        String database,
        Optional<String> resultLocation,
        Optional<URI> endpoint,
        double pricePerTerabyte,
        Duration queryTimeout,
        Optional<String> sourceRoot)
{
    // Glue folds names to lower case and Athena's DDL takes these without quoting problems; the
    // name is also a folder of the schema markers under <output>/_etl/schema/athena/
    private static final Pattern DATABASE = Pattern.compile("[a-z0-9_]{1,255}");
    private static final Pattern WORKGROUP = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    public AthenaSettings
    {
        requireNonNull(region, "region is null");
        requireNonNull(workgroup, "workgroup is null");
        requireNonNull(catalog, "catalog is null");
        requireNonNull(database, "database is null");
        requireNonNull(resultLocation, "resultLocation is null");
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(queryTimeout, "queryTimeout is null");
        requireNonNull(sourceRoot, "sourceRoot is null");
        if (!DATABASE.matcher(database).matches()) {
            throw new UserException("athena.database '" + database + "' is not a Glue database name Athena can use: 1 to 255 of a-z, 0-9 and _");
        }
        if (!WORKGROUP.matcher(workgroup).matches()) {
            throw new UserException("athena.workgroup '" + workgroup + "' is not a workgroup name (1 to 128 of A-Z, a-z, 0-9, ., _ and -)");
        }
        if (catalog.isBlank()) {
            throw new UserException("athena.catalog is empty; the Glue catalog is AwsDataCatalog");
        }
        resultLocation.ifPresent(location -> {
            if (!location.startsWith("s3://")) {
                throw new UserException("athena.result-location '" + location + "' must be an s3:// location");
            }
        });
        if (!(pricePerTerabyte >= 0)) {
            throw new UserException("athena.price-per-tb must be a number of USD, 0 or more, got " + pricePerTerabyte);
        }
        if (queryTimeout.isNegative() || queryTimeout.isZero()) {
            throw new UserException("the query timeout must be at least 1 second, got " + queryTimeout.toSeconds());
        }
    }

    public static AthenaSettings from(Settings settings)
    {
        return new AthenaSettings(
                settings.optional("athena.region"),
                settings.get("athena.workgroup"),
                settings.get("athena.catalog"),
                settings.get("athena.database"),
                settings.optional("athena.result-location"),
                settings.url("athena.endpoint", Settings.ATHENA_ENDPOINT_EXAMPLE),
                settings.number("athena.price-per-tb", "USD, 0 or more", 0),
                Duration.ofSeconds(settings.wholeNumber("athena.query-timeout-seconds", "seconds", 1, Settings.MAX_QUERY_TIMEOUT_SECONDS)),
                Optional.of(Location.of(settings.get("source"))).filter(Location::isS3).map(Location::uri));
    }
}
