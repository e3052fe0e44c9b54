package org.eventetl.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.SourceFile;

import static java.util.Objects.requireNonNull;

/**
 * The made-up partition lint renders every step for, and a few lines of made-up source for it,
 * under a work folder that lint owns. Its values appear in no real template or data: a template
 * that still shows them in a finding got them from the parameters, as it should.
 */
record LintFixture(Path folder, Partition partition, List<SourceFile> sourceFiles, Location output)
{
    static final Partition PARTITION = new Partition("lintbrand", "linttracker", "lintchannel", LocalDate.of(2031, 12, 31));

    /**
     * One event with every field, an object without {@code meta} or {@code params}, a blank line
     * and a line that is not JSON: the kinds of line the steps tell apart, so each step has
     * something to read and write.
     */
    private static final String SOURCE = String.join("\n",
            "{\"meta\":{\"session_long\":\"lint-device\",\"date\":\"2031-12-31T12:00:00Z\"},"
                    + "\"params\":{\"cc\":\"pt\",\"long\":-9.14,\"lat\":38.71,\"user_id\":\"lint-user\",\"extra\":{\"user_type\":\"registered\",\"language\":\"pt\"}}}",
            "{\"other\":\"an object with neither meta nor params\"}",
            "",
            "not a JSON object",
            "");

    LintFixture
    {
        requireNonNull(folder, "folder is null");
        requireNonNull(partition, "partition is null");
        sourceFiles = List.copyOf(requireNonNull(sourceFiles, "sourceFiles is null"));
        requireNonNull(output, "output is null");
    }

    /** The run lint renders for: its staged prefixes are where steps may write. */
    static final RunId RUN = new RunId("20170809_000000_00000000");

    /**
     * How many days before the fixture's lint makes up as published, so that an audit that compares
     * the day with recent ones renders its comparison (A4 judges a country seen on 3 of them).
     */
    static final int RECENT_DAYS = 3;

    /** The partition's source folder. */
    Location sourceFolder()
    {
        return sourceRoot().resolve(partition.sourcePath());
    }

    /** The root of the values-only source layout, as {@code {{source}}} renders for the fixture. */
    Location sourceRoot()
    {
        return Location.local(folder.resolve("source"));
    }

    /** The made-up published days before the fixture's, newest first, as a load lists recent days. */
    List<Partition> recentDays()
    {
        List<Partition> days = new ArrayList<>();
        for (int back = 1; back <= RECENT_DAYS; back++) {
            days.add(partition.withDay(partition.day().minusDays(back)));
        }
        return List.copyOf(days);
    }

    /**
     * Publishes what the steps staged on the fixture as each recent day's datasets, a copy a day,
     * so that an audit that reads recent days binds against files of the schema the steps write, at
     * the prefixes a load would hand it. A dataset no step staged (its step could not run) is left
     * out: the finding to fix is that step's.
     */
    void publishRecentDays(Collection<String> datasets)
            throws IOException
    {
        for (String dataset : datasets) {
            Path staged = new PublishedPrefix(output, dataset, partition).staged(RUN).location().toPath();
            if (!Files.isDirectory(staged)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> listed = Files.list(staged)) {
                files = listed.filter(Files::isRegularFile).toList();
            }
            for (Partition day : recentDays()) {
                Path published = Files.createDirectories(new PublishedPrefix(output, dataset, day).location().toPath());
                for (Path file : files) {
                    Files.copy(file, published.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** Writes the source file under {@code folder/source/<source path>/} and picks {@code folder/output} as the output root. */
    static LintFixture create(Path folder)
            throws IOException
    {
        Path absolute = folder.toAbsolutePath().normalize();
        Path sourceFolder = absolute.resolve("source").resolve(PARTITION.sourcePath());
        Files.createDirectories(sourceFolder);
        Path file = sourceFolder.resolve("events-0.json");
        Files.writeString(file, SOURCE, StandardCharsets.UTF_8);
        // a second file that starts with a byte-order mark, which every engine's line reader drops
        Path marked = sourceFolder.resolve("events-1.json");
        Files.writeString(marked, "\uFEFF" + SOURCE, StandardCharsets.UTF_8);
        Path output = absolute.resolve("output");
        Files.createDirectories(output);
        return new LintFixture(absolute, PARTITION, List.of(
                new SourceFile(Location.local(file), Files.size(file)),
                new SourceFile(Location.local(marked), Files.size(marked))), Location.local(output));
    }
}
