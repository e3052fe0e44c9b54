package org.eventetl.report;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.eventetl.cli.Console;
import org.eventetl.cli.Etl;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.S3Storage;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Multisets;
import org.eventetl.testing.S3ProxyServer;
import org.eventetl.testing.TrinoServer;
import org.eventetl.testing.TrinoStack;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's steps on a real Trino server over a real S3 API (make test-trino): Trino's
 * {@code hourly_activity} and {@code location_grid} equal the embedded engine's on the same files,
 * and the report is written from Trino's files (named without an extension) on S3.
 */
@Tag("trino")
final class TestReportTrino
{
    private static final Partition DAY = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));

    @TempDir
    Path work;

    @Test
    void testTrinoAggregatesAndReportOnS3()
            throws Exception
    {
        TrinoStack stack = TrinoStack.shared();
        S3ProxyServer s3 = stack.s3();
        TrinoServer trino = stack.trino();
        try (S3Storage storage = stack.storage()) {
            Path source = work.resolve("source");
            new SampleWriter(new SampleSpec(DAY, source, 20_000, 2, 21, 0.05, 0.005, false)).write(bytes -> {});
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    storage.write(new Location("s3://etl/report-raw").resolve(source.relativize(file).toString()), Files.readAllBytes(file));
                }
            }
            Path config = work.resolve("trino.properties");
            Files.writeString(config, String.join("\n", "engine=trino", "trino.url=" + trino.url(), "trino.catalog=hive",
                    "trino.schema=report", "s3.endpoint=" + s3.endpoint(), "s3.region=us-east-1", ""));

            Location output = new Location("s3://etl/report-trino");
            Cli.Result load = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", "s3://etl/report-raw",
                    "--output", output.uri(), "--report");
            assertThat(load.code()).as(load.err()).isZero();
            Location page = new PublishedPrefix(output, "_reports", DAY).location().resolve("index.html");
            assertThat(load.out()).contains("report: " + page);
            String html = new String(storage.read(page).orElseThrow(), StandardCharsets.UTF_8);
            assertThat(html).contains("V7__location_grid").contains("map-GH").contains("map-ZA");

            Path local = work.resolve("duckdb");
            Loads.load(DAY, source, local, 0.5);
            for (String dataset : List.of("hourly_activity", "location_grid")) {
                Path trinoFiles = Files.createDirectories(work.resolve("trino").resolve(dataset));
                int index = 0;
                for (Location file : storage.listRecursively(new PublishedPrefix(output, dataset, DAY).location())) {
                    if (!file.fileName().startsWith(".") && !file.fileName().startsWith("_")) {
                        Files.write(trinoFiles.resolve((index++) + ".parquet"), storage.read(file).orElseThrow());
                    }
                }
                // the hour as epoch microseconds, whatever Parquet type each engine chose for a timestamp
                String select = dataset.equals("hourly_activity")
                        ? "SELECT country, epoch_us(hour), events, devices"
                        : "SELECT country, cell_latitude, cell_longitude, cell_degrees, events, devices";
                List<String> expected = rows(select, local.resolve(dataset).resolve(DAY.hivePath()));
                assertThat(expected).isNotEmpty();
                Multisets.assertSameElements(dataset, rows(select, trinoFiles), expected);
            }
        }
    }

    /** Every row as text. */
    private static List<String> rows(String select, Path folder)
            throws SQLException
    {
        List<String> rows = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(select + " FROM read_parquet('" + folder + "/*.parquet')")) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(result.getObject(i)).append(' ');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }

}
