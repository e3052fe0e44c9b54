package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.partition.Partition;
import org.eventetl.plan.AuditName;
import org.eventetl.plan.StepName;
import org.eventetl.testing.Cli;
import org.eventetl.testing.Loads;
import org.eventetl.testing.Published;
import org.eventetl.testing.RawFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new dataset is a new SQL file and nothing else: a step and an audit added to a copy of sql/
 * are staged, audited, published, summarised and recorded like the project's own, with no Java
 * that knows their names.
 */
final class TestNewDataset
{
    private static final Partition DAY = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");

    @TempDir
    Path work;

    @Test
    void aStepAndAnAuditAddedToSqlAreLoadedLikeTheOthers()
            throws IOException
    {
        Path home = Loads.copyOfProject(work);
        StepName step = Loads.nextStep(home.resolve("sql"), "devices_per_language");
        AuditName audit = Loads.nextAudit(home.resolve("sql"), "languages_have_devices");
        int audits = Loads.auditCount(home.resolve("sql")) + 1;
        Files.writeString(home.resolve("sql").resolve(step.fileName()), """
                -- Devices per language, from the staged event_details of the same run.
                -- summary: rows
                {{#duckdb}}
                COPY (
                    SELECT coalesce(language, '?') AS language, count(DISTINCT device_id) AS devices
                    FROM read_parquet('{{staged.event_details}}*.parquet')
                    GROUP BY 1
                    ORDER BY 1
                ) TO '{{target}}data.parquet' (FORMAT parquet);
                {{/duckdb}}
                """);
        Files.writeString(home.resolve("sql").resolve(audit.fileName()), """
                -- Every language counted has a device.
                {{#duckdb}}
                SELECT language FROM read_parquet('{{staged.devices_per_language}}*.parquet') WHERE devices < 1;
                {{/duckdb}}
                """);
        Path source = work.resolve("source");
        Path output = work.resolve("output");
        RawFiles.write(source, DAY, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\",\"extra\":{\"language\":\"en\"}}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"gh\",\"extra\":{\"language\":\"en\"}}}",
                "{\"meta\":{\"session_long\":\"dev-3\"},\"params\":{\"cc\":\"za\"}}");

        Cli.Result load = Cli.runIn(home, "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());

        assertThat(load.code()).as(load.err()).isZero();
        assertThat(load.out()).containsPattern("V" + step.version() + "__devices_per_language +2 ").contains("audits: " + audits + " of " + audits + " passed")
                .contains("devices_per_language\nlanguage  devices\n?               1\nen              2");
        assertThat(Published.publishedBy(output, "devices_per_language", DAY)).isNotEmpty()
                .isEqualTo(Published.publishedBy(output, "dau", DAY));
        Cli.Result status = Cli.runIn(home, "status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).isZero();
        assertThat(status.out()).containsPattern("V" + step.version() + "__devices_per_language +applied");
    }
}
