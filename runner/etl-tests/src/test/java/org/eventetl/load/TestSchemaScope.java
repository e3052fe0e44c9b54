package org.eventetl.load;

import java.nio.file.Path;
import java.time.LocalDate;

import org.eventetl.partition.Partition;
import org.eventetl.testing.Loads;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step of {@code -- scope: database} runs once per database only where the engine's catalog
 * persists (Athena, tested with its stub); the embedded engine's database lives in memory, so its
 * macros must be made on every load, and no schema marker is written.
 */
final class TestSchemaScope
{
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));

    @TempDir
    Path temporary;

    @Test
    void theEmbeddedEngineRunsTheSchemaStepOnEveryLoad()
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        RawFiles.write(source, PARTITION, "events.json", "{\"meta\":{\"session_long\":\"a\"},\"params\":{\"cc\":\"gh\"}}");

        for (int load = 0; load < 2; load++) {
            LoadResult result = Loads.load(PARTITION, source, output, 0.01);
            assertThat(result.steps().get(0).id()).isEqualTo("V1__functions");
            assertThat(result.steps().get(0).skipped()).isFalse();
        }
        assertThat(output.resolve("_etl/schema")).doesNotExist();
    }
}
