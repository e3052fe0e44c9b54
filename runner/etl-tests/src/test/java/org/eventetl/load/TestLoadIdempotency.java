package org.eventetl.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.testing.EventOracle;
import org.eventetl.testing.LoadCounts;
import org.eventetl.testing.FolderSnapshot;
import org.eventetl.testing.Loads;
import org.eventetl.testing.OutputReader;
import org.eventetl.testing.RawFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.eventetl.testing.Multisets.assertSameElements;

/** Reruns of one partition replace its outputs and touch nothing else (docs/design.md, "What it does" and "The life of a run"). */
final class TestLoadIdempotency
{
    private static final Partition PARTITION = new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9));
    private static final Partition NEXT_DAY = PARTITION.withDay(LocalDate.of(2017, 8, 10));
    private static final Partition OTHER_CHANNEL = new Partition("olx", "hydra", "android2", LocalDate.of(2017, 8, 9));
    private static final List<String> DATASETS = List.of("event_details", "events", "dau", "rejects", "hourly_activity", "location_grid");
    private static final List<String> STEPS = List.of("V1__functions", "V2__event_details", "V3__rejects", "V4__events", "V5__dau",
            "V6__hourly_activity", "V7__location_grid");

    @TempDir
    Path temporary;

    @Test
    void testRerun()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        writeDay(source, PARTITION, "dev");
        writeDay(source, NEXT_DAY, "next");
        writeDay(source, OTHER_CHANNEL, "other");
        Loads.load(NEXT_DAY, source, output, 0.5);
        Loads.load(OTHER_CHANNEL, source, output, 0.5);
        Map<String, String> neighbours = FolderSnapshot.of(output);
        assertThat(neighbours).isNotEmpty();

        OutputReader outputs = new OutputReader(output, PARTITION);
        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));

        LoadResult first = Loads.load(PARTITION, source, output, 0.5);
        Map<String, List<String>> firstFiles = fileNames(outputs);
        Map<String, Long> firstDau = outputs.dau();
        List<OutputReader.EventRow> firstEvents = outputs.events();
        List<OutputReader.DetailRow> firstDetails = outputs.eventDetails();
        List<EventOracle.Reject> firstRejects = outputs.rejects();
        assertThat(firstDau).isEqualTo(oracle.dau());
        assertThat(firstRejects).hasSize(oracle.rejects().size()).isNotEmpty();

        // strays in the published folders: a Parquet file that V5 would count twice, and others; no
        // run's, so the rerun refuses to delete them with the folder (it did, without a word)
        Path events = outputs.folder("events");
        Files.copy(events.resolve(firstFiles.get("events").get(0)), events.resolve("stray.parquet"));
        Files.writeString(events.resolve("notes.txt"), "left by hand");
        Files.createDirectories(events.resolve("sub"));
        Files.copy(events.resolve(firstFiles.get("events").get(0)), events.resolve("sub/stray.parquet"));
        Files.writeString(outputs.folder("rejects").resolve("old-rejects.json"), "{\"file\":\"x\",\"line\":\"y\"}\n");
        assertThatThrownBy(() -> Loads.load(PARTITION, source, output, 0.5)).isInstanceOf(UserException.class)
                .hasMessageContaining(outputs.folder("rejects") + "/ holds 1 file that run ").hasMessageContaining("did not publish there (old-rejects.json)");
        Files.delete(outputs.folder("rejects").resolve("old-rejects.json"));
        assertThatThrownBy(() -> Loads.load(PARTITION, source, output, 0.5)).isInstanceOf(UserException.class)
                .hasMessageContaining(events + "/ holds 3 files that run ").hasMessageContaining("(notes.txt, stray.parquet, sub/stray.parquet)");
        assertThat(events.resolve("sub/stray.parquet")).exists();
        for (String stray : List.of("stray.parquet", "notes.txt", "sub/stray.parquet", "sub")) {
            Files.delete(events.resolve(stray));
        }

        LoadResult second = Loads.load(PARTITION, source, output, 0.5);

        assertThat(fileNames(outputs)).isEqualTo(firstFiles);
        assertThat(outputs.dau()).isEqualTo(firstDau).isEqualTo(oracle.dau());
        assertSameElements("events", outputs.events(), firstEvents);
        assertSameElements("event_details", outputs.eventDetails(), firstDetails);
        assertSameElements("rejects", outputs.rejects(), firstRejects);
        assertThat(LoadCounts.of(second)).isEqualTo(LoadCounts.of(first));

        // the other day and the other channel, byte for byte
        Map<String, String> after = new TreeMap<>(FolderSnapshot.of(output));
        // (the partition's own history, outputs, publication pointer and lease guard aside)
        after.keySet().removeIf(path -> path.contains("/" + hivePath(PARTITION) + "/") || path.endsWith("/" + hivePath(PARTITION) + ".json")
                || path.endsWith("/" + hivePath(PARTITION) + ".lock.guard"));
        assertThat(after).isEqualTo(neighbours);

        // one history entry per step per run
        Map<String, List<String>> stepsPerRun = new TreeMap<>();
        for (JsonNode entry : history(output, PARTITION)) {
            stepsPerRun.computeIfAbsent(entry.get("run_id").textValue(), ignored -> new ArrayList<>()).add(entry.get("step").textValue());
            assertThat(entry.get("partition").textValue()).isEqualTo(hivePath(PARTITION));
            assertThat(entry.get("outcome").textValue()).isEqualTo("applied");
        }
        assertThat(stepsPerRun).containsOnlyKeys(first.runId(), second.runId());
        assertThat(stepsPerRun.get(first.runId())).containsExactlyInAnyOrderElementsOf(STEPS);
        assertThat(stepsPerRun.get(second.runId())).containsExactlyInAnyOrderElementsOf(STEPS);
        assertThat(history(output, NEXT_DAY)).hasSize(STEPS.size());
    }

    @Test
    void testRejectsOfEarlierRunDoNotOutliveIt()
            throws IOException
    {
        Path source = temporary.resolve("source");
        Path output = temporary.resolve("output");
        writeDay(source, PARTITION, "dev");
        OutputReader outputs = new OutputReader(output, PARTITION);

        LoadResult dirty = Loads.load(PARTITION, source, output, 0.5);
        assertThat(outputs.rejects()).isNotEmpty();
        assertThat(LoadCounts.of(dirty).rejects()).isPositive();

        // the source is repaired: the same events without the bad lines
        Files.delete(RawFiles.folder(source, PARTITION).resolve("a.json"));
        RawFiles.write(source, PARTITION, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"za\"}}");
        EventOracle oracle = EventOracle.of(RawFiles.folder(source, PARTITION));
        assertThat(oracle.rejects()).isEmpty();

        LoadResult clean = Loads.load(PARTITION, source, output, 0.5);

        assertThat(LoadCounts.of(clean).rejects()).isZero();
        assertThat(clean.steps()).filteredOn(step -> step.id().equals("V3__rejects")).singleElement()
                .satisfies(step -> assertThat(step.skipped()).isTrue());
        assertThat(outputs.rejects()).isEmpty();
        assertThat(OutputReader.files(outputs.folder("rejects"))).isEmpty();
        assertThat(outputs.dau()).isEqualTo(oracle.dau());
        assertThat(outputs.events()).hasSize(oracle.events().size());
        // the skipped step is recorded as such
        assertThat(history(output, PARTITION))
                .filteredOn(entry -> entry.get("run_id").textValue().equals(clean.runId()) && entry.get("step").textValue().equals("V3__rejects"))
                .singleElement()
                .satisfies(entry -> assertThat(entry.get("outcome").textValue()).isEqualTo("skipped"));
    }

    private static void writeDay(Path source, Partition partition, String devicePrefix)
    {
        RawFiles.write(source, partition, "a.json",
                "{\"meta\":{\"session_long\":\"" + devicePrefix + "-1\",\"date\":\"2017-08-09T10:00:00Z\"},\"params\":{\"cc\":\"gh\",\"long\":1.5}}",
                "{\"meta\":{\"session_long\":\"" + devicePrefix + "-2\"},\"params\":{\"cc\":\"za\"}}",
                "{\"meta\":{\"session_long\":\"" + devicePrefix + "-1\"},\"params\":{\"cc\":\"za\"}}",
                "{}",
                "not json",
                "{\"meta\":{\"session_long\":\"" + devicePrefix + "-3\"},\"params\":{\"cc\":null}}");
    }

    private static Map<String, List<String>> fileNames(OutputReader outputs)
    {
        Map<String, List<String>> names = new TreeMap<>();
        for (String dataset : DATASETS) {
            names.put(dataset, OutputReader.files(outputs.folder(dataset)).stream().map(file -> file.getFileName().toString()).toList());
        }
        return names;
    }

    private static List<JsonNode> history(Path output, Partition partition)
            throws IOException
    {
        Path folder = output.resolve("_etl/history").resolve(hivePath(partition));
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            // the step records; a run's end is recorded apart, in <time>__<run>__run.json
            for (Path file : files.filter(Files::isRegularFile).filter(file -> !file.getFileName().toString().endsWith("__run.json")).toList()) {
                assertThat(file.getFileName().toString()).endsWith(".json");
                entries.add(json.readTree(file.toFile()));
            }
        }
        return entries;
    }

    private static String hivePath(Partition partition)
    {
        return String.format("brand=%s/tracker=%s/channel=%s/year=%04d/month=%02d/day=%02d", partition.brand(), partition.tracker(),
                partition.channel(), partition.day().getYear(), partition.day().getMonthValue(), partition.day().getDayOfMonth());
    }
}
