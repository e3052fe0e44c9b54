package org.eventetl.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import io.trino.jdbc.TrinoDriver;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.model.Json;
import org.eventetl.partition.Partition;
import org.eventetl.testing.Cli;
import org.eventetl.testing.EtlProcess;
import org.eventetl.testing.FolderSnapshot;
import org.eventetl.testing.Loads;
import org.eventetl.testing.RawFiles;
import org.eventetl.testing.Unwritable;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every mistake a user can make is one line on stderr that says what is wrong and what to do,
 * with exit 2 when nothing ran (1 when a step failed), and never a Java exception's name; a bug
 * in etl is exit 70 and says so. Each case goes through the command line as a user types it.
 */
final class TestUserErrors
{
    private static final String CHANNEL = "brand=olx/tracker=hydra/channel=android";
    private static final Partition DAY = Partition.parse(CHANNEL + "/year=2017/month=08/day=09");

    @TempDir
    static Path shared;
    private static Path source;
    private static Path output;

    @BeforeAll
    static void load()
    {
        source = shared.resolve("source");
        output = shared.resolve("output");
        RawFiles.write(source, DAY, "a.json",
                "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\",\"lat\":5.6,\"long\":-0.2}}",
                "{\"meta\":{\"session_long\":\"dev-2\"},\"params\":{\"cc\":\"za\"}}");
        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
    }

    /**
     * A folder a publish writes that this user may not write (the last dataset's day folder, the
     * folder of the publication pointer): refused before the lease, nothing changed. The publish
     * failed there, after it had swapped the datasets before it, and left the day mixing two runs.
     */
    @Test
    void testPublishFolderThatMayNotBeWritten()
    {
        for (Path folder : List.of(output.resolve("location_grid").resolve(DAY.hivePath()), output.resolve("_etl/published").resolve(DAY.hivePath()).getParent())) {
            assertThat(folder).isDirectory();
            try (Unwritable locked = Unwritable.of(folder)) {
                assertRefused(folder + " may not be written by this user (its mode, or an immutable flag): a run writes there as it publishes", "load",
                        "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
            }
        }
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.out()).isEqualTo(ExitCode.DONE);
    }

    /** An output inside another one (one of its datasets' folders, its _staging): refused, as the other output's readers would read its files. */
    @Test
    void testOutputInsideAnotherOutput()
    {
        for (Path inside : List.of(output.resolve("dau"), output.resolve("_staging"), output.resolve("_etl"), output.resolve("dau/new"))) {
            assertRefused("--output " + inside + " lies inside " + output + ", the output of other loads (it holds their _etl folder)", "load",
                    "--partition", DAY.hivePath(), "--source", source.toString(), "--output", inside.toString());
        }
        assertRefused("lies inside " + output, "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", output.resolve("dau").toString());
    }

    /** A prefix of a flag was taken for the flag: render's --out given to load published into that folder. */
    @Test
    void testAPrefixOfAFlagIsNoFlag()
    {
        assertRefused("Unrecognized option: --out (etl load --help)", "load", "--partition", DAY.hivePath(), "--source", source.toString(),
                "--out", shared.resolve("out").toString());
        assertRefused("Unrecognized option: --part (etl status --help)", "status", "--part", DAY.hivePath());
        assertRefused("Unrecognized option: --only (etl backfill --help)", "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--only");
    }

    /** A mistyped --output looked like days never loaded: status's steps all pending, show's "run etl load first". */
    @Test
    void testAnOutputThatDoesNotExistIsSaid()
            throws Exception
    {
        Path nowhere = shared.resolve("outptu");
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", nowhere.toString());
        assertThat(status.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(Cli.lastLine(status.out())).isEqualTo("note: --output " + nowhere + " does not exist: nothing was ever published there (a mistyped path?)");
        Cli.Result json = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", nowhere.toString(), "--json");
        assertThat(Json.MAPPER.readTree(json.out()).path("note").asText()).startsWith("note: --output " + nowhere + " does not exist");
        assertThat(nowhere).doesNotExist();
        assertRefused("no dau for " + DAY + " under " + nowhere + ": " + nowhere + " does not exist (a mistyped --output?)",
                "show", "dau", "--partition", DAY.hivePath(), "--output", nowhere.toString());
        // validate compares nothing there with sql/: refused, where it said "7 steps well formed", exit 0
        assertRefused("--output " + nowhere + " does not exist: no published run there to compare with sql/ (a mistyped path?)",
                "validate", "--partition", DAY.hivePath(), "--output", nowhere.toString());
        // a folder that exists but that no load ran in (another tool's, a wrong one) gets its note too
        Path elsewhere = Files.createDirectories(shared.resolve("elsewhere"));
        Cli.Result wrong = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", elsewhere.toString());
        assertThat(wrong.code()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(Cli.lastLine(wrong.out())).isEqualTo("note: --output " + elsewhere + " holds no _etl folder: no load ever ran there (a mistyped path?)");
        assertThat(Cli.run("validate", "--partition", DAY.hivePath(), "--output", elsewhere.toString()).out())
                .isEqualTo("validate: 7 steps well formed; no published run of the partition to compare with sql/\n");
        // an output that exists says nothing of the kind
        Cli.Result right = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertThat(right.out()).doesNotContain("does not exist").doesNotContain("note:");
    }

    @Test
    void testOutputThatIsAFile()
            throws IOException
    {
        Path file = Files.writeString(shared.resolve("a-file"), "not a folder");

        assertRefused("is a file, not a folder; give a folder", "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", file.toString());
        assertRefused("a-file is a file, not a folder", "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", file.resolve("below").toString());
        assertRefused("is a file, not a folder", "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", file.toString());
        assertRefused("is a file, not a folder", "report", "--partition", DAY.hivePath(), "--output", file.toString());
        assertRefused("is a file, not a folder", "repair", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", file.toString());
        // a mistyped output: nothing to repair there, and nothing made
        Path typo = shared.resolve("outptu");
        assertRefused("--output " + typo + " does not exist, so nothing was loaded there to repair", "repair", "--partition", DAY.hivePath(),
                "--source", source.toString(), "--output", typo.toString());
        assertThat(typo).doesNotExist();
        assertThat(Files.readString(file)).isEqualTo("not a folder");
    }

    /** A repair of a misspelt channel said "nothing to repair", exit 0, and left a lock folder of that name. */
    @Test
    void testRepairOfAChannelNoLoadRanFor()
    {
        String misspelt = "brand=olx/tracker=hydra/channel=andriod";
        assertRefused("no load of " + misspelt + " ever ran under --output " + output + ", so nothing there is to repair (its history has channel=android)",
                "repair", "--partition", misspelt + "/year=2017/month=08/day=09", "--output", output.toString());
        assertThat(output.resolve("_etl/locks").resolve(misspelt)).doesNotExist();
        // the channel loaded: a day of it that never ran is nothing to repair, as before
        Cli.Result otherDay = Cli.run("repair", "--partition", CHANNEL + "/year=2017/month=08/day=10", "--output", output.toString());
        assertThat(otherDay.code()).as(otherDay.err()).isEqualTo(ExitCode.DONE);
        assertThat(otherDay.out()).contains("nothing to repair for " + CHANNEL + "/year=2017/month=08/day=10");
    }

    /** An output where no folder can be made (here /proc, which looks writable to root) failed the lease, exit 1; render's --out failed too. */
    @Test
    void testOutputWhereNoFolderCanBeMade()
    {
        Path proc = Path.of("/proc");
        // (as root: another user is refused before, as /proc may not be written by that user)
        Assumptions.assumeTrue(Files.isDirectory(proc.resolve("self")) && Files.isWritable(proc), "a Linux /proc that looks writable (root)");
        assertRefused("--output /proc/etl-output: no folder can be made there", "load", "--partition", DAY.hivePath(), "--source", source.toString(),
                "--output", "/proc/etl-output");
        assertRefused("--output /proc/etl-output: no folder can be made there", "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", "/proc/etl-output");
        // render's --out and sample's --output were exit 1 and "/proc/etl-render does not exist"
        assertRefused("--out /proc/etl-render: no folder can be made there", "render", "--partition", DAY.hivePath(), "--source", source.toString(),
                "--out", "/proc/etl-render");
        assertRefused("--output /proc/etl-sample: no folder can be made there", "sample", "--partition", DAY.hivePath(), "--events", "10",
                "--output", "/proc/etl-sample");
    }

    /** A stray word after --help was ignored, so a misspelt flag there went unseen. */
    @Test
    void testHelpWithAStrayWord()
    {
        assertRefused("unexpected argument 'partiton' (etl load --help)", "load", "--help", "partiton");
    }

    @Test
    void testSampleOutputThatIsAFile()
            throws IOException
    {
        Path file = Files.writeString(shared.resolve("sample-file"), "not a folder");

        assertRefused("--output " + file + ": it is a file, not a folder", "sample", "--partition", DAY.hivePath(), "--events", "10", "--output", file.toString());
        assertRefused("--output must be a local folder", "sample", "--partition", DAY.hivePath(), "--events", "10", "--output", "s3://bucket/raw");
    }

    @Test
    void testConfigThatDoesNotExist()
    {
        Path missing = shared.resolve("missing.properties");

        assertRefused("--config " + missing + " does not exist; give the path of a properties file",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--config", missing.toString());
        assertRefused("--config " + shared + " is not a file", "status", "--partition", DAY.hivePath(), "--config", shared.toString());
        assertRefused("--config " + missing + " does not exist", "validate", "--config", missing.toString());
    }

    /**
     * A history entry or publication pointer that cannot be read (damaged here; another user's in
     * the next test) is a refusal that names it, by every command that reads the day, and a
     * backfill fails that day with the same advice: none of them says all is well over it.
     */
    @Test
    void testCommandsOnHistoryOrPointerTheyCannotRead()
            throws Exception
    {
        Path copy = copyOfOutput("damaged");
        Files.writeString(historyEntries(copy).get(0), "{ not json");
        Path copyPointer = copy.resolve("_etl/published").resolve(DAY.hivePath() + ".json");
        byte[] published = Files.readAllBytes(copyPointer);

        Path damaged = historyEntries(copy).get(0);
        String said = damaged + " is damaged: not the JSON the runner writes (";
        assertRefused("etl: " + said, "status", "--partition", DAY.hivePath(), "--output", copy.toString());
        for (String command : List.of("status", "validate", "repair", "report", "load")) {
            Cli.Result refused = assertRefused(said, onTheDay(copy, command));
            // one piece of advice, the one that helps
            assertThat(refused.err()).as(command).endsWith("; move the damaged file away and rerun\n").doesNotContain("readable");
        }
        // the load was refused before it published: the day is as it was
        assertThat(Files.readAllBytes(copyPointer)).isEqualTo(published);
        assertBackfillFailsTheDay(copy, said);
        // in a range, the damaged day's line says it and the other days are shown (the whole range was refused)
        Cli.Result range = Cli.run("status", "--partition", CHANNEL, "--from", "2017-08-08", "--to", "2017-08-10", "--source", source.toString(),
                "--output", copy.toString());
        assertThat(range.code()).as(range.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(range.out()).containsPattern("(?m)^2017-08-08 +partition +no source ")
                .containsPattern("(?m)^2017-08-09 +partition +unreadable +" + Pattern.quote(said))
                .containsPattern("(?m)^2017-08-10 +partition +no source ")
                .contains("2 of 3 partitions current (or without source)");
        assertThat(range.err()).isEqualTo("etl: 1 of the 3 days could not be read: their lines say why\n");

        // the publication pointer too: named (never "the history of"), and the same advice
        Path other = copyOfOutput("damaged-pointer");
        Path pointer = other.resolve("_etl/published").resolve(DAY.hivePath() + ".json");
        // cut short, as a full disk leaves it (an empty file was refused even where a cut one was not)
        byte[] cut = Arrays.copyOf(Files.readAllBytes(pointer), 50);
        Files.write(pointer, cut);
        for (List<String> command : List.of(List.of("load"), List.of("status"), List.of("validate"), List.of("repair"), List.of("report"),
                List.of("show", "dau"), List.of("show", "rejects"))) {
            Cli.Result refused = assertRefused(pointer + " is damaged", onTheDay(other, command.toArray(String[]::new)));
            assertThat(refused.err()).as(command.toString()).endsWith("; move the damaged file away and rerun\n").doesNotContain("history");
        }
        // status and repair answer from the history, also for a day whose source is gone: they read the pointer all the same
        // (a source root with the channel's folder but not the day's: neither the empty folder that status refuses as a
        // dropped mount nor a root without the channel, which it refuses as a misspelt partition)
        Path noSource = other.resolveSibling("no-source");
        Files.createDirectories(noSource.resolve(DAY.brand()).resolve(DAY.tracker()).resolve(DAY.channel()));
        for (String command : List.of("status", "repair")) {
            assertRefused(pointer + " is damaged", command, "--partition", DAY.hivePath(), "--source", noSource.toString(), "--output", other.toString());
        }
        assertThat(Files.readAllBytes(pointer)).isEqualTo(cut);
        // a load of the next day reads it too (its audits compare with the days before): said so, not only the file
        Partition nextDay = DAY.withDay(DAY.day().plusDays(1));
        Path nextSource = shared.resolve("next-day-source");
        RawFiles.write(nextSource, nextDay, "a.json", "{\"meta\":{\"session_long\":\"dev-1\"},\"params\":{\"cc\":\"gh\"}}");
        // and so does its status, which said only that the other day's pointer is damaged
        for (String command : List.of("load", "status")) {
            assertRefused("cannot read what " + other + " has published for " + DAY.day() + " (one of the 7 days before " + nextDay.day()
                    + " that the audits compare it with): " + pointer + " is damaged", command, "--partition", nextDay.hivePath(),
                    "--source", nextSource.toString(), "--output", other.toString());
        }

        // a lock file left empty (a power loss after its rename): named as the lock, never as the history
        Path locked = copyOfOutput("damaged-lock");
        Path lock = locked.resolve("_etl/locks").resolve(DAY.hivePath() + ".lock");
        Files.createDirectories(lock.getParent());
        Files.write(lock, new byte[0]);
        for (String command : List.of("status", "repair", "load")) {
            Cli.Result refused = assertRefused(lock + " is damaged", onTheDay(locked, command));
            assertThat(refused.err()).as(command).endsWith("; move the damaged file away and rerun\n").doesNotContain("history");
        }
        assertBackfillFailsTheDay(locked, lock + " is damaged");
        assertBackfillFailsTheDay(other, pointer + " is damaged");

        // a pointer that names another day (copied from its file, or edited) was taken for this day's
        Path moved = copyOfOutput("pointer-of-another-day");
        Path movedPointer = moved.resolve("_etl/published").resolve(DAY.hivePath() + ".json");
        String otherDay = DAY.withDay(DAY.day().minusDays(1)).hivePath();
        Files.writeString(movedPointer, Files.readString(movedPointer).replace(DAY.hivePath(), otherDay));
        for (List<String> command : List.of(List.of("status"), List.of("load"), List.of("show", "dau"))) {
            assertRefused(movedPointer + " is damaged: it names the partition " + otherDay + ", not its own; move the damaged file away and rerun",
                    onTheDay(moved, command.toArray(String[]::new)));
        }
        // so was a history record of another day in this day's folder (copied in, or written there through a linked folder)
        Path strayed = copyOfOutput("record-of-another-day");
        Path strayRecord = historyEntries(strayed).get(0);
        Files.writeString(strayRecord, Files.readString(strayRecord).replace(DAY.hivePath(), otherDay));
        for (String command : List.of("status", "load")) {
            assertRefused(strayRecord + " is damaged: it names the partition " + otherDay + ", not its own; move the damaged file away and rerun", onTheDay(strayed, command));
        }
        // a runner file that holds the JSON null (edited by hand) was an internal error, exit 70
        Path nulled = copyOfOutput("null-files");
        Path nullPointer = nulled.resolve("_etl/published").resolve(DAY.hivePath() + ".json");
        Path nullRecord = historyEntries(nulled).get(0);
        Path nullLock = nulled.resolve("_etl/locks").resolve(DAY.hivePath() + ".lock");
        Files.createDirectories(nullLock.getParent());
        for (Path file : List.of(nullPointer, nullRecord, nullLock)) {
            byte[] before = Files.exists(file) ? Files.readAllBytes(file) : null;
            Files.writeString(file, "null");
            for (String command : List.of("status", "load")) {
                assertRefused(file + " is damaged: ", onTheDay(nulled, command));
            }
            if (before == null) {
                Files.delete(file);
            }
            else {
                Files.write(file, before);
            }
        }
        // a lock that is a pipe hung load and status; a pointer linked to /dev/zero filled the heap (exit 1, a stack trace)
        Path pipe = shared.resolve("a-pipe");
        assertThat(new ProcessBuilder("mkfifo", pipe.toString()).start().waitFor()).isZero();
        for (Path file : List.of(nullLock, nullPointer)) {
            byte[] before = Files.exists(file) ? Files.readAllBytes(file) : null;
            for (Path target : List.of(pipe, Path.of("/dev/zero"))) {
                Files.deleteIfExists(file);
                Files.createSymbolicLink(file, target);
                for (String command : List.of("status", "load")) {
                    assertRefused(file + " is damaged: it is no regular file (a pipe or a device, say); move the damaged file away and rerun", onTheDay(nulled, command));
                }
            }
            Files.delete(file);
            if (before != null) {
                Files.write(file, before);
            }
        }
    }

    /**
     * The publish manifest of a run killed while it published, cut short by hand or a damaged disk:
     * named as the damaged file by every command that reads it, one line, not Jackson's text.
     */
    @Test
    void testPublishManifestTheyCannotRead()
            throws Exception
    {
        Path copy = copyOfOutput("damaged-manifest");
        Path manifest = killedWhilePublishing(copy, "_publish.json");
        Files.write(manifest, Arrays.copyOf(Files.readAllBytes(manifest), 40));

        byte[] cut = Files.readAllBytes(manifest);
        for (String command : List.of("status", "repair", "load")) {
            // (not assertRefused: repair and load first take over the lease the killed run left, which is theirs to do)
            Cli.Result refused = Cli.run(onTheDay(copy, command));
            assertThat(refused.code()).as(command + ": " + refused.err()).isEqualTo(ExitCode.REFUSED);
            assertOneLine(refused.err());
            assertThat(refused.err()).as(command).contains(manifest + " is damaged").endsWith("; move the damaged file away and rerun\n")
                    .doesNotContain("Exception", "Jackson", "history");
        }
        assertBackfillFailsTheDay(copy, manifest + " is damaged");
        // over a range of days, repair goes on past the day and says it as it says it of the day alone
        Cli.Result range = Cli.run("repair", "--partition", CHANNEL, "--from", "2017-08-08", "--to", "2017-08-09",
                "--source", source.toString(), "--output", copy.toString());
        assertThat(range.code()).as(range.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(range.out()).contains("2017-08-08: nothing to repair");
        assertThat(range.err()).contains("etl: 2017-08-09: " + manifest + " is damaged").contains("; move the damaged file away and rerun\n")
                .contains("1 of the 2 days could not be repaired (2017-08-09)").doesNotContain("Exception", "Jackson");
        assertThat(Files.readAllBytes(manifest)).isEqualTo(cut);

        // moved away as advised: the killed run had swapped event_details in, so status must not
        // call the published data intact in the same line that finds another run's files in it
        Files.move(manifest, copy.resolve("moved-away.json"));
        Cli.Result status = Cli.run(onTheDay(copy, "status"));
        assertThat(status.out()).as(status.err()).contains("event_details holds the files of run").doesNotContain("is intact");
    }

    /**
     * A staging area whose run record is damaged (left empty by a lost machine, say) refused every
     * load and status of the whole output, whatever partition the run was of. Unless its manifest
     * says it began publishing this partition, it is passed over now, with a warning, and left.
     */
    @Test
    void testADamagedRunRecordOfARunThatBeganNoPublish()
            throws Exception
    {
        Path copy = copyOfOutput("damaged-run-record");
        Path record = copy.resolve("_staging/20261202_000000_deadbeef/_run.json");
        Files.createDirectories(record.getParent());
        Files.write(record, new byte[0]);
        // and one that is a folder, made by hand: damaged the same way, not a refusal of the whole output
        Files.createDirectories(copy.resolve("_staging/20261202_000001_feedbead/_run.json"));

        // (the copy's days are outdated: its SQL names another output; refused was exit 2)
        Cli.Result status = Cli.run(onTheDay(copy, "status"));
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out() + status.err()).doesNotContain("damaged");
        Cli.Result load = Cli.run(onTheDay(copy, "load"));
        assertThat(load.code()).as(load.err()).isZero();
        assertThat(load.err()).contains("etl: warning: " + record + " is damaged").contains("it is left as it is");
        assertThat(record).as("not this run's to delete").exists();

        // one that began publishing this day is this day's concern: refused, named
        Path killedRun = copyOfOutput("damaged-run-record-publishing");
        Path killedRecord = killedWhilePublishing(killedRun, "_run.json");
        Files.write(killedRecord, new byte[0]);
        for (String command : List.of("status", "load")) {
            Cli.Result refused = Cli.run(onTheDay(killedRun, command));
            assertThat(refused.code()).as(command + ": " + refused.err()).isEqualTo(ExitCode.REFUSED);
            assertThat(refused.err()).as(command).contains(killedRecord + " is damaged");
        }
    }

    /** Loads the day under {@code output}, kills the load once it began to publish, and returns its staging area's file of that name. */
    private static Path killedWhilePublishing(Path output, String fileName)
            throws Exception
    {
        EtlProcess killed = EtlProcess.start(Map.of("ETL_TEST_PAUSE_AT", "publish events"), List.of(onTheDay(output, "load")));
        killed.awaitErr("etl: paused at publish events");
        killed.kill();
        try (Stream<Path> files = Files.walk(output.resolve("_staging"))) {
            return files.filter(file -> file.getFileName().toString().equals(fileName)).findFirst().orElseThrow();
        }
    }

    /** The command and its arguments, run on the day under {@code output} (with the source where the command reads it). */
    private static String[] onTheDay(Path output, String... command)
    {
        List<String> arguments = new ArrayList<>(List.of(command));
        arguments.addAll(List.of("--partition", DAY.hivePath(), "--output", output.toString()));
        if (List.of("load", "status", "repair").contains(command[0])) {
            arguments.addAll(List.of("--source", source.toString()));
        }
        return arguments.toArray(String[]::new);
    }

    private static void assertBackfillFailsTheDay(Path output, String said)
            throws IOException
    {
        Cli.Result backfill = Cli.run("backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", output.toString(), "--json");
        assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.STEP_FAILED);
        JsonNode day = Json.MAPPER.readTree(backfill.out()).get("days").get(0);
        assertThat(day.get("outcome").asText()).isEqualTo("failed");
        assertThat(day.get("detail").asText()).contains(said).endsWith("; move the damaged file away and rerun");
    }

    /**
     * A real process without the right to read what another user wrote with mode 0600: root's
     * capabilities to read and write anything are dropped (setpriv), so the test needs root and setpriv.
     */
    @Test
    void testStatusByAnotherUser()
            throws Exception
    {
        Path copy = copyOfOutput("private");
        for (Path entry : historyEntries(copy)) {
            Files.setAttribute(entry, "unix:uid", 65534);
            Files.setPosixFilePermissions(entry, PosixFilePermissions.fromString("rw-------"));
        }

        Cli.Result status = runAsAnotherUser("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", copy.toString());

        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(status.err());
        assertThat(status.err()).contains("permission denied: " + copy.resolve("_etl/history")).contains("run as a user who may read it");
    }

    /** The same for an --output this user may not write in (as on a read-only file system). */
    @Test
    void testOutputThisUserMayNotWrite()
            throws Exception
    {
        Path theirs = Files.createDirectory(shared.resolve("theirs"));
        Files.setAttribute(theirs, "unix:uid", 65534);

        Cli.Result load = runAsAnotherUser("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", theirs.resolve("output").toString());

        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(load.err());
        assertThat(load.err()).contains(theirs + " may not be written by this user; give a folder you may write to");
        assertThat(theirs).isEmptyDirectory();
    }

    /** A read-only bind mount (root only): said as a read-only file system, not as this user's lack of rights. */
    @Test
    void testOutputOnAReadOnlyBindMount()
            throws Exception
    {
        Assumptions.assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")), "needs root to mount");
        Path target = Files.createDirectory(shared.resolve("read-only"));
        Assumptions.assumeTrue(new ProcessBuilder("mount", "--bind", "-o", "ro", shared.toString(), target.toString()).start().waitFor() == 0, "cannot bind-mount");
        try {
            Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", target.resolve("output").toString());
            assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.REFUSED);
            assertOneLine(load.err());
            assertThat(load.err()).contains(" is on a read-only file system; give a folder you may write to").doesNotContain("this user");
        }
        finally {
            new ProcessBuilder("umount", target.toString()).start().waitFor();
        }
    }

    /** etl in a process of root without the capabilities to read and write what is not its own. */
    private static Cli.Result runAsAnotherUser(String... args)
            throws Exception
    {
        Path setpriv = Path.of("/usr/bin/setpriv");
        Assumptions.assumeTrue(Files.isExecutable(setpriv) && Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                "needs root and setpriv to run a process that may not read or write a file");
        List<String> command = new ArrayList<>(List.of(setpriv.toString(), "--bounding-set=-dac_override,-dac_read_search"));
        command.addAll(Cli.processCommand(args));
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Cli.Result(process.exitValue(), "", err);
    }

    @Test
    void testLocationThatIsNeitherAFolderNorS3()
    {
        assertRefused("--output 's3://' names no bucket: give s3://bucket/prefix", "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "s3://");
        assertRefused("--source 's3:///raw' names no bucket", "status", "--partition", DAY.hivePath(), "--source", "s3:///raw", "--output", output.toString());
        // one slash short of s3://: not a local folder named s3:
        assertRefused("--output 's3:/bucket/out' is neither a local folder nor s3://bucket/prefix",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "s3:/bucket/out");
        assertRefused("--source 'gs://bucket/raw' is neither a local folder nor s3://bucket/prefix",
                "load", "--partition", DAY.hivePath(), "--source", "gs://bucket/raw", "--output", output.toString());
        assertRefused("--out must be a local folder: 's3:/x' is neither", "render", "--partition", DAY.hivePath(), "--source", source.toString(), "--out", "s3:/x");
        // two slashes short: it was published to a local folder named s3:bucket, exit 0
        assertRefused("--output 's3:bucket/out' is neither a local folder nor s3://bucket/prefix",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "s3:bucket/out");
        assertThat(Path.of("s3:")).as("no folder named after the location").doesNotExist();
        assertThat(Path.of("s3:bucket")).as("no folder named after the location").doesNotExist();
    }

    @Test
    void testSettingThatIsNeitherTrueNorFalse()
            throws IOException
    {
        Path config = Files.writeString(shared.resolve("strict-typo.properties"), "audits.strict = ture\n");
        assertRefused("audits.strict (in --config " + config + ") must be true or false, got 'ture'",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--config", config.toString());
        // refused by a command that does not use it too: the file is wrong whatever reads it
        assertRefused("audits.strict (in --config " + config + ") must be true or false", "status", "--partition", DAY.hivePath(), "--output", output.toString(),
                "--config", config.toString());
        Path twice = Files.writeString(shared.resolve("twice.properties"), "output = a\noutput = b\n");
        assertRefused("--config " + twice + ": key 'output' is given twice", "status", "--partition", DAY.hivePath(), "--config", twice.toString());
    }

    @Test
    void testABadSettingIsNamedAsTheUserGaveIt()
            throws IOException
    {
        Path config = Files.writeString(shared.resolve("bad-values.properties"), "audits.min-volume-ratio = 7\n");
        assertRefused("audits.min-volume-ratio (in --config " + config + ") must be between 0 and 1, got 7",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--config", config.toString());
        assertRefused("--min-volume-ratio must be between 0 and 1, got 7",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--min-volume-ratio", "7");
        Path engine = Files.writeString(shared.resolve("engine.properties"), "engine = postgres\n");
        assertRefused("engine (in --config " + engine + "): unknown engine 'postgres'; choose one of: duckdb, trino, athena",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--config", engine.toString());
        assertRefused("etl: unknown engine 'postgres'; choose one of",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--engine", "postgres");
        Path commented = Files.writeString(shared.resolve("engine-comment.properties"), "engine = duckdb # local\n");
        assertRefused("--config " + commented + ": engine is 'duckdb # local' (a # after a value is part of the value in a properties file",
                "status", "--partition", DAY.hivePath(), "--output", output.toString(), "--config", commented.toString());
        Path lines = Files.writeString(shared.resolve("lines.properties"), "load.max-line-bytes = -5\n");
        assertRefused("load.max-line-bytes (in --config " + lines + ") must be from 1024 to 1073741824 bytes, got -5",
                "status", "--partition", DAY.hivePath(), "--output", output.toString(), "--config", lines.toString());
        Path comment = Files.writeString(shared.resolve("comment.properties"), "audits.min-volume-ratio = 0.5 # half\n");
        assertRefused("--config " + comment + ": audits.min-volume-ratio is '0.5 # half' (a # after a value is part of the value",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--config", comment.toString());
        // a path took the comment in silently: the load published into the folder "<output> # a copy"
        Path path = Files.writeString(shared.resolve("path-comment.properties"), "output = " + output + " # a copy\n");
        assertRefused("--config " + path + ": output is '" + output + " # a copy' (a # after a value is part of the value",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--config", path.toString());
        Path empty = Files.writeString(shared.resolve("empty-source.properties"), "source =\n");
        assertRefused("source (in --config " + empty + ") is empty", "load", "--partition", DAY.hivePath(), "--output", output.toString(), "--config", empty.toString());
        // an empty --config was "--config  is not a file"
        assertRefused("etl: --config is empty; give the path of a properties file", "status", "--partition", DAY.hivePath(), "--config", "");
    }

    @Test
    void testOutputThatIsAFileForCommandsThatRead()
            throws IOException
    {
        Path file = Files.writeString(shared.resolve("read-file"), "not a folder");
        assertRefused("--output " + file + ": it is a file, not a folder", "status", "--partition", DAY.hivePath(), "--output", file.toString());
        assertRefused("--output " + file + ": it is a file, not a folder", "show", "dau", "--partition", DAY.hivePath(), "--output", file.toString());
    }

    /** A publish replaces a dataset's whole partition folder: one that holds files no run published is left alone, and the load refused. */
    @Test
    void testFilesThatNoRunPublished()
            throws IOException
    {
        Path fresh = shared.resolve("output-with-notes");
        Path folder = fresh.resolve("dau").resolve(DAY.hivePath());
        Files.createDirectories(folder.resolve("by-hand"));
        Files.writeString(folder.resolve("by-hand").resolve("notes.txt"), "mine");
        assertRefused(folder + " holds 1 file that no run of etl published (e.g. by-hand/notes.txt; a folder etl published has an _etl_run marker):"
                + " a publish replaces the whole folder, so move them elsewhere and load again",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", fresh.toString());
        // status does not tell a user to load a day that the load refuses
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", fresh.toString());
        assertThat(status.out()).containsPattern("partition +pending +never published; load it; a load now would be refused: " + Pattern.quote(folder + " holds 1 file"));
        // a backfill goes on to the other days, and counts this one failed
        Cli.Result backfill = Cli.run("backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09", "--source", source.toString(),
                "--output", fresh.toString());
        assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.STEP_FAILED);
        assertThat(backfill.out()).contains("that no run of etl published (e.g. by-hand/notes.txt;").contains("1 failed");
        assertThat(Files.readString(folder.resolve("by-hand").resolve("notes.txt"))).isEqualTo("mine");

        // moved away, the day loads; a file put into a folder that a run published is that folder's, and replaced with it
        Files.move(folder.resolve("by-hand"), shared.resolve("by-hand"));
        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", fresh.toString());
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.DONE);
        assertThat(folder.resolve("_etl_run")).exists();
    }

    /**
     * An S3 output that cannot be read: one line that names the output and the file once, then the
     * cause, which depends on the process (no credentials; or, once an S3Proxy test has set some in
     * this JVM, a bucket name that does not resolve, as there is no network here).
     */
    @Test
    void testS3OutputThatCannotBeRead()
    {
        // refused before anything ran, as status refuses it (it was exit 1, "failed", where status said 2)
        Cli.Result load = Cli.run("load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "s3://no-such-bucket/out");
        assertThat(load.code()).as(load.err()).isEqualTo(ExitCode.REFUSED);
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "s3://no-such-bucket/out");
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(load.err());
        String published = "s3://no-such-bucket/out/_etl/published/";
        assertThat(load.err()).startsWith("etl: cannot read what s3://no-such-bucket/out has published: " + published);
        assertThat(load.err().indexOf(published)).as("the file is named once").isEqualTo(load.err().lastIndexOf(published));
        // so do the commands that read a loaded day (report was exit 1, "cannot list" its dau, with advice about free space)
        for (List<String> command : List.of(List.of("report"), List.of("show", "dau"), List.of("repair"))) {
            List<String> args = new ArrayList<>(command);
            args.addAll(List.of("--partition", DAY.hivePath(), "--output", "s3://no-such-bucket/out"));
            Cli.Result reading = Cli.run(args.toArray(String[]::new));
            assertThat(reading.code()).as(command + ": " + reading.err()).isEqualTo(ExitCode.REFUSED);
            assertOneLine(reading.err());
            assertThat(reading.err()).as(command.toString()).contains("s3://no-such-bucket/out/_etl/");
        }
    }

    @Test
    void testLeaseLongerThanADay()
    {
        assertRefused("--lease-seconds must be from 1 to 86400 (a day), got 86401", "load", "--partition", DAY.hivePath(), "--source", source.toString(),
                "--output", output.toString(), "--lease-seconds", "86401");
    }

    /** An output through a link whose target is gone was exit 1, "cannot take the lease …", with no cause. */
    @Test
    void testOutputThroughADanglingLink()
            throws IOException
    {
        Path link = Files.createSymbolicLink(shared.resolve("dangling"), shared.resolve("gone").resolve("output"));
        for (Path output : List.of(link, link.resolve("below"))) {
            assertRefused(link + " is a link to " + shared.resolve("gone").resolve("output") + ", which does not exist",
                    "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());
        }
        Files.delete(link);
    }

    /**
     * The day's history folder replaced by a file: status called the day outdated ("a reload
     * records the day again") and the load then failed with "cannot record history under X: X".
     * Both now name it as a damaged file, with the advice that helps.
     */
    @Test
    void testHistoryFolderThatIsAFile()
            throws IOException
    {
        Path copy = copyOfOutput("history-file");
        Path folder = copy.resolve("_etl/history").resolve(DAY.hivePath());
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
        Files.writeString(folder, "x\n");
        for (String command : List.of("status", "load")) {
            Cli.Result refused = assertRefused(folder + " is damaged: a file where the day's history folder should be", onTheDay(copy, command));
            assertThat(refused.err()).as(command).endsWith("; move the damaged file away and rerun\n");
        }
    }

    /**
     * A dataset's folder replaced by a file (or a file made where a folder above it must be): status
     * blamed "the history of" the day with "Not a directory" on the marker's path, and the load failed
     * (exit 1) with "cannot list" the output. Status now says the dataset's folder is gone and names
     * the file; the load refuses before its lease, deleting nothing.
     */
    @Test
    void testDatasetFolderThatIsAFile()
            throws IOException
    {
        Path copy = copyOfOutput("dataset-file");
        Path dataset = copy.resolve("events");
        Files.move(dataset, copy.resolve("events.moved"));
        Files.writeString(dataset, "x\n");
        String said = dataset + " is a file, not a folder";
        Cli.Result status = Cli.run(onTheDay(copy, "status"));
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(status.out()).contains("outdated", "the folder of events is gone: " + said).doesNotContain("history");
        Cli.Result refused = assertRefused(said + ", where the publish puts the folder of events", onTheDay(copy, "load"));
        assertThat(refused.err()).endsWith(": move it away and load again\n");
        assertThat(Files.readString(dataset)).isEqualTo("x\n");

        // the day's own folder a link to a folder of the user's: the publish removed the link (the
        // user's, no run's) and put its folder there; now refused as a file in its place is
        Path linked = copyOfOutput("dataset-day-link");
        Path day = linked.resolve("events").resolve(DAY.hivePath());
        Path users = Files.createDirectories(linked.resolve("users-folder"));
        Files.writeString(users.resolve("notes.txt"), "mine\n");
        try (Stream<Path> files = Files.walk(day)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        Files.createSymbolicLink(day, users);
        String link = day + " is a link to " + users + ", not a folder";
        Cli.Result linkStatus = Cli.run(onTheDay(linked, "status"));
        assertThat(linkStatus.code()).as(linkStatus.err()).isEqualTo(ExitCode.NOT_CURRENT);
        assertThat(linkStatus.out()).contains("the folder of events is gone: " + link);
        assertRefused(link + ", where the publish puts the folder of events", onTheDay(linked, "load"));
        assertThat(Files.isSymbolicLink(day)).isTrue();
        assertThat(Files.readString(users.resolve("notes.txt"))).isEqualTo("mine\n");
    }

    /**
     * The output's _etl/locks made a file: status refused (exit 2, "move that file away"), where load,
     * repair and report failed (exit 1, "check … (and free space), then rerun"), which a scheduler
     * retries for ever. Each refuses now, naming the file.
     */
    @Test
    void testRunnersFolderThatIsAFile()
            throws IOException
    {
        Path copy = copyOfOutput("locks-file");
        Path locks = copy.resolve("_etl/locks");
        try (Stream<Path> files = Files.walk(locks)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
        Files.writeString(locks, "x\n");
        for (String command : List.of("status", "load", "repair", "report")) {
            Cli.Result refused = Cli.run(onTheDay(copy, command));
            assertThat(refused.code()).as(command + ": " + refused.err()).isEqualTo(ExitCode.REFUSED);
            assertOneLine(refused.err());
            assertThat(refused.err()).as(command).contains(locks + " is a file, not a folder").contains("move that file away");
        }
        assertThat(Files.readString(locks)).isEqualTo("x\n");
    }

    /**
     * A day folder that is a link to a mount that dropped was "no source": status exit 0 and
     * backfill passing the day over. Now every command that looks for the day's files says so.
     */
    @Test
    void testDayFolderLinkedToNowhere()
            throws IOException
    {
        Path gone = shared.resolve("dropped-mount").resolve("10");
        Path link = Files.createSymbolicLink(source.resolve("olx/hydra/android/2017/08/10"), gone);
        try {
            String said = link + " is a link to " + gone + ", which does not exist (a mount that dropped?)";
            String day = CHANNEL + "/year=2017/month=08/day=10";
            for (String command : List.of("status", "load")) {
                assertRefused(said, command, "--partition", day, "--source", source.toString(), "--output", output.toString());
            }
            Cli.Result backfill = Cli.run("backfill", "--partition", CHANNEL, "--from", "2017-08-10", "--to", "2017-08-10",
                    "--source", source.toString(), "--output", output.toString(), "--json");
            assertThat(backfill.code()).as(backfill.err()).isEqualTo(ExitCode.STEP_FAILED);
            JsonNode result = Json.MAPPER.readTree(backfill.out()).get("days").get(0);
            assertThat(result.get("outcome").asText()).isEqualTo("failed");
            assertThat(result.get("detail").asText()).contains(said);
        }
        finally {
            Files.delete(link);
        }
    }

    /**
     * An output with a backslash ran its steps, then failed to find what it staged (DuckDB reads it
     * back by a pattern, in which a backslash separates folders), leaving a failed run; a --config
     * file's output = ~/etl-out made a folder named ~ under the current one. Both refused up front.
     */
    @Test
    void testOutputsThatWouldNotBeWhereTheUserMeant()
            throws IOException
    {
        assertRefused("--output " + shared.resolve("out\\bs") + " holds a backslash", "load", "--partition", DAY.hivePath(), "--source", source.toString(),
                "--output", shared.resolve("out\\bs").toString());
        assertThat(shared.resolve("out\\bs")).doesNotExist();
        Path config = Files.writeString(shared.resolve("home-output.properties"), "output = ~/etl-out\n");
        try {
            assertRefused("~/etl-out: ~ is not expanded here", "load", "--config", config.toString(), "--partition", DAY.hivePath(), "--source", source.toString());
            assertRefused("--output ~: ~ is not expanded here", "status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "~");
        }
        finally {
            Files.delete(config);
        }
    }

    /** A count beyond an int wrapped around: --parallel 2^32 + 1 ran one day at a time, --files 2^32 said "got 0". */
    @Test
    void testNumberTooLargeForItsFlag()
    {
        assertRefused("--parallel must be between 1 and 16, got 4294967297", "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", output.toString(), "--parallel", "4294967297");
        assertRefused("--files must be between 1 and 10000, got 4294967296", "sample", "--partition", DAY.hivePath(), "--events", "10",
                "--files", "4294967296", "--output", shared.resolve("sample").toString());
        // a digit too many ran out of memory, said as a failure to write a file
        assertRefused("--events must be from 0 to 1,000,000,000, got 99,999,999,999", "sample", "--partition", DAY.hivePath(), "--events", "99999999999",
                "--output", shared.resolve("sample").toString());
    }

    /**
     * A sample's mistakes: more files than events wrote empty files; a day's folder given as the
     * output nested a whole brand/tracker/… tree inside the day; an etl output got source files
     * among its datasets. Each refused, nothing written.
     */
    @Test
    void testSampleIntoTheWrongPlace()
    {
        assertRefused("--files 20 is more than --events 10: 10 of the files would be empty", "sample", "--partition", DAY.hivePath(), "--events", "10",
                "--files", "20", "--output", shared.resolve("sample").toString());
        Path dayFolder = source.resolve(DAY.sourcePath());
        assertRefused("--output " + dayFolder + " looks like a folder inside a source tree (its path holds olx/hydra/)", "sample", "--partition", DAY.hivePath(),
                "--events", "10", "--output", dayFolder.toString());
        assertRefused("--output " + output + " is an etl output (it holds _etl)", "sample", "--partition", DAY.hivePath(), "--events", "10",
                "--output", output.toString());
    }

    @Test
    void testNegativeLimit()
    {
        assertRefused("--limit must be a whole number from 0 to", "show", "dau", "--partition", DAY.hivePath(), "--output", output.toString(), "--limit", "-1");
        Cli.Result none = Cli.run("show", "dau", "--partition", DAY.hivePath(), "--output", output.toString(), "--limit", "0");
        assertThat(none.code()).as(none.err()).isEqualTo(ExitCode.DONE);
        assertThat(none.out().strip()).as("the header, no row").startsWith("country\tdevice_count").doesNotContain("\n");
        assertThat(none.err()).as("that the limit left every row out").contains("the columns of dau shown, none of its rows (--limit 0)");
    }

    /**
     * A misspelt channel under an output that has loads: show and report said "not published; run
     * etl load first" (found by a new-user probe), where status and repair name the channels there.
     */
    @Test
    void showAndReportNameTheChannelsAnOutputHasForAMisspeltOne()
    {
        String misspelt = DAY.hivePath().replace("channel=android", "channel=andriod");
        Cli.Result show = Cli.run("show", "dau", "--partition", misspelt, "--output", output.toString());
        assertThat(show.code()).as(show.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(Cli.lastLine(show.err())).contains("no load of brand=olx/tracker=hydra/channel=andriod ever ran there (its history has channel=android")
                .endsWith("check the partition's brand, tracker and channel");
        Cli.Result report = Cli.run("report", "--partition", misspelt, "--output", output.toString());
        assertThat(report.code()).as(report.err()).isEqualTo(ExitCode.REFUSED);
        assertThat(Cli.lastLine(report.err())).startsWith("etl: no report for " + misspelt).contains("(its history has channel=android");
    }

    /** An endpoint without its scheme was a crash (exit 70) when the first request went out; a timeout of any word passed on DuckDB. */
    @Test
    void testEndpointOrTimeoutOfTheWrongForm()
    {
        assertRefused("--s3-endpoint 'localhost:9000' is not an http or https URL, e.g. http://127.0.0.1:9000",
                "status", "--partition", DAY.hivePath(), "--source", "s3://bucket/raw", "--output", output.toString(), "--s3-endpoint", "localhost:9000");
        assertRefused("--s3-endpoint 'localhost:9000' is not an http or https URL",
                "load", "--partition", DAY.hivePath(), "--source", "s3://bucket/raw", "--output", output.toString(), "--s3-endpoint", "localhost:9000");
        assertRefused("--query-timeout must be a whole number of seconds, got 'abc'",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--query-timeout", "abc");
        assertRefused("--athena-endpoint 'ftp://x' is not an http or https URL",
                "render", "--partition", DAY.hivePath(), "--engine", "athena", "--source", "s3://bucket/raw", "--output", "s3://bucket/out",
                "--athena-endpoint", "ftp://x");
    }

    /** Without --source, load and render read data/sample (of the folder they run in), which a fresh clone does not have. */
    @Test
    void testNoSampleYet()
    {
        assertThat(Path.of("data/sample")).as("the tests' working folder has no sample").doesNotExist();
        String said = "no --source given, and the default data/sample does not exist yet: make sample writes a sample day there (make load also loads it), or give --source DIR";
        assertRefused(said, "render", "--partition", DAY.hivePath(), "--output", output.toString());
        assertRefused(said, "load", "--partition", DAY.hivePath(), "--output", output.toString());
        // a backfill would load nothing and succeed
        assertRefused(said, "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-10", "--output", output.toString());
    }

    /**
     * An output whose path is a pattern to DuckDB's readers: a load would stage its outputs, then find
     * none of them at V4 (exit 1 after three steps); refused before anything runs, by every command
     * that writes there or reads what a load wrote.
     */
    @Test
    void testOutputPathThatIsAPattern()
    {
        Path pattern = output.resolveSibling("o[2]").resolve("out");
        for (String command : List.of("load", "repair")) {
            assertRefused("--output " + pattern + " holds '*', '?' or '[', which DuckDB's readers take as a pattern", command, "--partition", DAY.hivePath(),
                    "--source", source.toString(), "--output", pattern.toString());
        }
        assertRefused("holds '*', '?' or '['", "backfill", "--partition", CHANNEL, "--from", "2017-08-09", "--to", "2017-08-09",
                "--source", source.toString(), "--output", pattern.toString());
        // nor does status or show answer for an output that no load can have written to
        assertRefused("--output " + pattern + " holds '*', '?' or '['", "status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", pattern.toString());
        assertRefused("--output s3://etl/out* holds '*', '?' or '['", "status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "s3://etl/out*");
        assertRefused("--output " + pattern + " holds '*', '?' or '['", "show", "dau", "--partition", DAY.hivePath(), "--output", pattern.toString());
        assertThat(pattern.getParent()).doesNotExist();
    }

    /** A misspelled flag after one that takes a value becomes that value; a load would write into a folder named "-x". */
    @Test
    void testFlagLikeValue()
    {
        assertRefused("--output -x: a value may not start with '-' (a misspelled flag?); for a file or folder so named, write ./-x",
                "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "-x");
        assertRefused("--source -y: a value may not start with '-'", "status", "--partition", DAY.hivePath(), "--source", "-y", "--output", output.toString());
        // a negative number is left to its flag's own check, which says what is allowed
        assertRefused("--max-reject-ratio must be", "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(),
                "--max-reject-ratio", "-0.5");
        assertRefused("--lease-seconds must be", "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(),
                "--lease-seconds", "-5");
        // but a folder is no number: load published into ./-1
        assertRefused("--output -1: a value may not start with '-'", "load", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", "-1");
        assertRefused("--out -2: a value may not start with '-'", "render", "--partition", DAY.hivePath(), "--source", source.toString(), "--out", "-2");
    }

    /** A usage mistake is one line even with --verbose: the parser's trace says nothing a user needs. */
    @Test
    void testUsageMistakeWithVerbose()
    {
        Cli.Result run = Cli.run("status", "--verbose", "--partition");
        assertThat(run.code()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(run.err());
        assertThat(run.err()).isEqualTo("etl: --partition needs a value (etl status --help)\n");
        // given empty (an unset shell variable): said so, not "required"
        assertRefused("--partition is given empty; give a partition, e.g. ", "status", "--partition", " ", "--output", output.toString());

        // and so is a refused value: the line says it all
        Cli.Result day32 = Cli.run("status", "--verbose", "--partition", "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=32");
        assertThat(day32.code()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(day32.err());
        assertThat(day32.err()).contains("2017-08-32 is not a calendar date");
        Cli.Result engine = Cli.run("load", "--verbose", "--partition", DAY.hivePath(), "--engine", "spark");
        assertThat(engine.code()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(engine.err());
    }

    @Test
    void testFlagGivenTwice()
    {
        Partition other = DAY.withDay(DAY.day().plusDays(1));
        assertRefused("--partition is given more than once (" + DAY.hivePath() + ", " + other.hivePath() + "); give it once",
                "load", "--partition", DAY.hivePath(), "--partition", other.hivePath(), "--source", source.toString(), "--output", output.toString());
        assertRefused("--partition is given more than once", "status", "--partition", DAY.hivePath(), "--partition", other.hivePath(), "--output", output.toString());
        assertRefused("--output is given more than once", "show", "dau", "--partition", DAY.hivePath(), "--output", output.toString(), "--output", "elsewhere");
        assertRefused("--events is given more than once", "sample", "--partition", DAY.hivePath(), "--events", "1", "--events", "2", "--output", shared.resolve("s").toString());
        assertRefused("--to is given more than once", "backfill", "--partition", CHANNEL, "--from", "2017-08-01", "--to", "2017-08-02", "--to", "2017-08-03");
        // a range's dates as a partition's: a calendar date, with a four-digit year
        assertRefused("--from '2017-02-30' is not a calendar date", "status", "--partition", CHANNEL, "--from", "2017-02-30", "--to", "2017-03-02");
        assertRefused("--from '0001-01-01': the year must be from 1000 to 9999", "status", "--partition", CHANNEL, "--from", "0001-01-01", "--to", "2017-03-02");
        assertRefused("--to 'tomorrow' is not a date like 2017-08-01", "status", "--partition", CHANNEL, "--from", "2017-03-01", "--to", "tomorrow");
        // a flag without a value says the same thing twice: that is no mistake
        assertThat(Cli.run("status", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString(), "--json", "--json").code())
                .isEqualTo(ExitCode.DONE);
    }

    /** validate reads neither the source nor an engine: --source and --engine are refused, where they were taken and ignored. */
    @Test
    void validateRefusesTheOptionsItWouldIgnore()
    {
        for (String option : List.of("--source", "--engine")) {
            Cli.Result refused = assertRefused("Unrecognized option: " + option, "validate", "--partition", DAY.hivePath(), "--output", output.toString(), option, "duckdb");
            assertThat(refused.err().strip().lines()).hasSize(1);
        }
    }

    @Test
    void testDayWithARange()
    {
        String hint = "goes below the channel (to a year, month or day), but --from/--to give the days; give the channel alone with them, e.g. " + CHANNEL;
        assertRefused(hint, "backfill", "--partition", DAY.hivePath(), "--from", "2017-08-09", "--to", "2017-08-10", "--source", source.toString(), "--output", output.toString());
        assertRefused(hint, "status", "--partition", DAY.hivePath(), "--from", "2017-08-09", "--to", "2017-08-10", "--output", output.toString());
        assertRefused(hint, "validate", "--partition", DAY.hivePath(), "--from", "2017-08-09", "--to", "2017-08-10", "--output", output.toString());
        assertRefused("--from and --to need --partition brand=…/tracker=…/channel=…", "status", "--from", "2017-08-09", "--to", "2017-08-10");
        assertRefused("--from and --to need --partition brand=…/tracker=…/channel=…", "validate", "--from", "nonsense", "--output", output.toString());
        assertRefused(CHANNEL + "/year=2017 goes below the channel", "status", "--partition", CHANNEL + "/year=2017", "--from", "2017-08-09", "--to", "2017-08-10",
                "--output", output.toString());
        // no partition at all: the source's folders, or a word
        assertRefused("--partition olx/hydra/android/2017/08/09 is not of key=value parts, e.g. " + DAY.hivePath(), "status", "--partition", "olx/hydra/android/2017/08/09",
                "--output", output.toString());
        assertRefused("--partition badpart is not of key=value parts", "status", "--partition", "badpart", "--output", output.toString());
        assertRefused("--partition olx/hydra/android is not of key=value parts; with --from/--to give the channel, e.g. " + CHANNEL, "status",
                "--partition", "olx/hydra/android", "--from", "2017-08-09", "--to", "2017-08-09", "--output", output.toString());
        // the channel of a range without its days
        assertRefused(CHANNEL + " names no day: give its days with --from and --to, or one day, e.g. " + DAY.hivePath(), "status", "--partition", CHANNEL,
                "--output", output.toString());

        assertThat(Cli.run("help", "backfill").out()).isEqualTo(Cli.run("backfill", "--help").out());
        // and "etl --help load" (it showed the overview)
        assertThat(Cli.run("--help", "load").out()).isEqualTo(Cli.run("load", "--help").out()).contains("usage: etl load");
        assertThat(Cli.run("-h", "status").out()).isEqualTo(Cli.run("status", "--help").out());
        assertRefused("unknown command 'laod'; commands: ", "help", "laod");
        assertRefused("unexpected argument 'extra' (etl help status)", "help", "status", "extra");
        Cli.Result help = Cli.run("backfill", "--help");
        assertThat(help.out()).contains("--partition").contains(CHANNEL + " (the days are --from/--to)").doesNotContain("day=");
    }

    @Test
    void testTrailingSlash()
    {
        Cli.Result status = Cli.run("status", "--partition", DAY.hivePath() + "/", "--source", source.toString(), "--output", output.toString());
        assertThat(status.code()).as(status.err()).isEqualTo(ExitCode.DONE);
        assertThat(status.out()).contains("1 of 1 partitions current");
        Cli.Result range = Cli.run("status", "--partition", CHANNEL + "/", "--from", "2017-08-09", "--to", "2017-08-09", "--source", source.toString(), "--output", output.toString());
        assertThat(range.code()).as(range.err()).isEqualTo(ExitCode.DONE);
        assertThat(range.out()).isEqualTo(status.out());
    }

    @Test
    void testUnknownDataset()
    {
        String datasets = "event_details, rejects, events, dau, hourly_activity, location_grid";
        assertRefused("unknown dataset dua (one of " + datasets + ")", "show", "dua", "--partition", DAY.hivePath(), "--output", output.toString());
        assertRefused("show needs a dataset, one of " + datasets, "show", "--partition", DAY.hivePath(), "--output", output.toString());
        assertRefused("show takes one dataset, got 2: dau events", "show", "dau", "events", "--partition", DAY.hivePath(), "--output", output.toString());
    }

    /** A bug (here: stdout that breaks) is exit 70, one line that says it is a bug and how to report it, and its trace with --verbose. */
    @Test
    void testInternalError()
    {
        PrintStream broken = new PrintStream(new OutputStream()
        {
            @Override
            public void write(int b)
            {
                throw new IllegalStateException("stdout is broken");
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Etl etl = new Etl(new Console(broken, new PrintStream(err, true, StandardCharsets.UTF_8), Loads.home(), false));

        int code = etl.run("render", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString());

        assertThat(code).isEqualTo(ExitCode.INTERNAL_ERROR).isNotEqualTo(ExitCode.STEP_FAILED);
        String message = err.toString(StandardCharsets.UTF_8);
        assertThat(message).isEqualTo("etl: internal error (a bug in etl): IllegalStateException: stdout is broken; rerun with --verbose and report the stack trace\n");

        err.reset();
        assertThat(etl.run("render", "--verbose", "--partition", DAY.hivePath(), "--source", source.toString(), "--output", output.toString()))
                .isEqualTo(ExitCode.INTERNAL_ERROR);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("\tat org.eventetl.cli.");
    }

    @Test
    void testExitCodesInHelp()
    {
        Cli.Result help = Cli.run("--help");
        assertThat(help.out()).contains("0 done, 1 a step, an audit or the publish failed, 2 refused").contains("70 a bug in etl").contains("129 hung up (SIGHUP), 130 interrupted (Ctrl-C), 143 stopped (SIGTERM)");
    }

    /** The versions a bug report needs, as the drivers on the class path say them; a flag after it is refused. */
    @Test
    void testVersionNamesTheRunnerAndTheDriversOnTheClassPath()
            throws Exception
    {
        String duckDb;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                ResultSet version = connection.createStatement().executeQuery("SELECT library_version FROM pragma_version()")) {
            version.next();
            duckDb = version.getString(1).replaceFirst("^v", "");
        }
        Cli.Result run = Cli.run("--version");
        assertThat(run.code()).isEqualTo(ExitCode.DONE);
        assertThat(run.out().strip()).matches("etl [0-9][^ ]* \\(duckdb_jdbc " + Pattern.quote(duckDb) + "[0-9.]*, trino-jdbc "
                + new TrinoDriver().getMajorVersion() + ", Java " + Pattern.quote(Runtime.version().toString()) + "\\)");
        assertRefused("unexpected argument 'load' (etl --version takes none)", "--version", "load");
    }

    /** Exit 2, the one line (with {@code expected} in it), nothing on stdout, and not a file of the shared folder changed. */
    private static Cli.Result assertRefused(String expected, String... args)
    {
        Map<String, String> before = FolderSnapshot.of(shared);
        Cli.Result run = Cli.run(args);
        assertThat(run.code()).as("exit code of %s; stderr: %s", List.of(args), run.err()).isEqualTo(ExitCode.REFUSED);
        assertOneLine(run.err());
        assertThat(run.err()).contains(expected).doesNotContain("Exception");
        assertThat(run.out()).isEmpty();
        assertThat(FolderSnapshot.of(shared)).as("files after the refusal").isEqualTo(before);
        return run;
    }

    private static void assertOneLine(String err)
    {
        assertThat(err).startsWith("etl: ").endsWith("\n");
        assertThat(err.strip()).as("one line").doesNotContain("\n", "\r", "\tat ");
    }

    private static Path copyOfOutput(String name)
            throws IOException
    {
        Path copy = Files.createTempDirectory(shared, name);
        try (Stream<Path> files = Files.walk(output)) {
            for (Path file : files.toList()) {
                Path target = copy.resolve(output.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target);
                }
            }
        }
        return copy;
    }

    private static List<Path> historyEntries(Path output)
            throws IOException
    {
        try (Stream<Path> files = Files.walk(output.resolve("_etl/history"))) {
            List<Path> entries = new ArrayList<>(files.filter(file -> file.toString().endsWith(".json")).sorted().toList());
            assertThat(entries).isNotEmpty();
            return entries;
        }
    }
}
