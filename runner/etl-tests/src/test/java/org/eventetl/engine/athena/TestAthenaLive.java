package org.eventetl.engine.athena;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.cli.ExitCode;
import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;
import org.eventetl.storage.Location;
import org.eventetl.storage.S3Settings;
import org.eventetl.storage.S3Storage;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline on real Athena, opt-in: it runs queries that cost money (a few cents at most:
 * a generated day of 20,000 events, about 10 MB, billed at the 10 MB minimum per query) and needs
 * AWS credentials from the default chain (environment, profile, SSO, instance role). Set
 * <pre>
 * ETL_ATHENA_IT=1
 * ETL_ATHENA_REGION=eu-west-1                    the region of the workgroup and buckets
 * ETL_ATHENA_DATABASE=etl_it                     an existing Glue database the test may create tables in
 * ETL_ATHENA_SOURCE=s3://bucket/etl-it/raw       where the test uploads its generated day (it writes there)
 * ETL_ATHENA_OUTPUT=s3://bucket/etl-it/out       where the load writes (cleared per partition)
 * ETL_ATHENA_WORKGROUP=primary                   optional, default primary
 * ETL_ATHENA_RESULT_LOCATION=s3://bucket/results optional when the workgroup has its own
 * </pre>
 * and run {@code mvn -f runner/pom.xml test -Dtest=TestAthenaLive} ({@code make athena-check} runs it after its probes, see
 * {@link AthenaCheck}). It loads the partition
 * {@code brand=etlit/tracker=hydra/channel=android/year=2031/month=01/day=01} on Athena and on the
 * embedded engine from the same files and compares their DAU, events and rejects. Without the
 * variables it is skipped, and says why on one {@code SKIPPED:} line.
 */
final class TestAthenaLive
{
    private static final Partition DAY = Partition.parse("brand=etlit/tracker=hydra/channel=android/year=2031/month=01/day=01");
    private static final List<String> REQUIRED = List.of("ETL_ATHENA_REGION", "ETL_ATHENA_DATABASE", "ETL_ATHENA_SOURCE", "ETL_ATHENA_OUTPUT");

    @TempDir
    Path work;

    @Test
    void loadsADayOnAthenaAsTheEmbeddedEngineDoes()
            throws Exception
    {
        requireOptIn();
        String region = System.getenv("ETL_ATHENA_REGION");
        Location source = new Location(System.getenv("ETL_ATHENA_SOURCE"));
        Location output = new Location(System.getenv("ETL_ATHENA_OUTPUT"));
        Path local = work.resolve("source");
        new SampleWriter(new SampleSpec(DAY, local, 20_000, 2, 7, 0.05, 0.01, false)).write(bytes -> {});
        RawFiles.writeGzip(local, DAY, "zipped.json.gz", "{\"meta\":{\"session_long\":\"gz\"},\"params\":{\"cc\":\"gh\"}}");
        RawFiles.write(local, DAY, "_SUCCESS", "{\"meta\":{\"session_long\":\"hidden\"},\"params\":{\"cc\":\"gh\"}}");

        try (S3Storage storage = S3Storage.create(new S3Settings(Optional.empty(), false, Optional.of(region)))) {
            Location folder = source.resolve(DAY.sourcePath());
            for (Location stale : storage.listRecursively(folder)) {
                storage.delete(stale);
            }
            try (Stream<Path> files = Files.walk(local)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    storage.write(source.resolve(local.relativize(file).toString()), Files.readAllBytes(file));
                }
            }

            Path config = work.resolve("athena.properties");
            List<String> lines = new ArrayList<>(List.of(
                    "engine=athena",
                    "athena.region=" + region,
                    "athena.database=" + System.getenv("ETL_ATHENA_DATABASE"),
                    "athena.workgroup=" + Optional.ofNullable(System.getenv("ETL_ATHENA_WORKGROUP")).orElse("primary"),
                    "s3.region=" + region));
            Optional.ofNullable(System.getenv("ETL_ATHENA_RESULT_LOCATION")).ifPresent(location -> lines.add("athena.result-location=" + location));
            Files.write(config, lines);

            Cli.Result load = Cli.run("load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", source.uri(), "--output", output.uri());
            System.out.println(load.out());
            assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
            assertThat(load.out()).contains("cost USD").contains("total").contains("where the counts come from:");

            Path embedded = work.resolve("embedded");
            Loads.load(DAY, local, embedded, 0.5);
            OutputReader expected = new OutputReader(embedded, DAY);
            assertThat(dau(storage, output)).isNotEmpty().isEqualTo(expected.dau());
            assertThat(rows(storage, output, "events")).isEqualTo(expected.events().size());
            assertThat(rows(storage, output, "event_details")).isEqualTo(expected.eventDetails().size());
        }
    }

    private static void requireOptIn()
    {
        List<String> missing = REQUIRED.stream().filter(name -> System.getenv(name) == null || System.getenv(name).isBlank()).toList();
        String reason = null;
        if (!"1".equals(System.getenv("ETL_ATHENA_IT"))) {
            reason = "TestAthenaLive runs the pipeline on real Athena (it costs money): set ETL_ATHENA_IT=1 and " + String.join(", ", REQUIRED)
                    + " (see its javadoc); credentials come from the AWS default chain";
        }
        else if (!missing.isEmpty()) {
            reason = "TestAthenaLive: ETL_ATHENA_IT=1, but " + String.join(", ", missing) + " not set (see its javadoc)";
        }
        if (reason != null) {
            System.out.println("SKIPPED: " + reason);
            Assumptions.abort(reason);
        }
    }

    private static Map<String, Long> dau(S3Storage storage, Location output)
            throws Exception
    {
        Map<String, Long> devices = new TreeMap<>();
        for (List<String> row : new DatasetReader(storage).read(new PublishedPrefix(output, "dau", DAY).location(), "country", 1000).rows()) {
            devices.put(row.get(0), Long.parseLong(row.get(1)));
        }
        return devices;
    }

    private static long rows(S3Storage storage, Location output, String dataset)
            throws Exception
    {
        return new DatasetReader(storage).read(new PublishedPrefix(output, dataset, DAY).location(), "", 100_000_000).rows().size();
    }
}
