package org.eventetl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.sample.SampleSpec;
import org.eventetl.sample.SampleWriter;

/** {@code etl sample}: writes synthetic hydra-like events for a partition. */
final class SampleCommand
        implements Command
{
    @Override
    public String name()
    {
        return "sample";
    }

    @Override
    public String summary()
    {
        return "write synthetic hydra-like events (GH and ZA) for a partition, deterministic per --seed";
    }

    @Override
    public String usage()
    {
        return "--partition P --events N --output DIR [--seed S] [--files F] [--null-ratio R] [--malformed-ratio R] [--gzip]";
    }

    @Override
    public Options options()
    {
        return new Options()
                .addOption(Flags.partition())
                .addOption(Option.builder().longOpt("events").hasArg().argName("N").desc("how many lines to write (required; at most 1,000,000,000)").get())
                .addOption(Option.builder().longOpt("output").hasArg().argName("DIR").desc("source root to write under, as --source of load (required); the day's folder must be empty or hold"
                        + " an earlier sample, whose parts its _etl_sample file names: nothing else there is replaced").get())
                .addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("random seed (default 1)").get())
                .addOption(Option.builder().longOpt("files").hasArg().argName("F").desc("number of files (default: one per 200,000 events)").get())
                .addOption(Option.builder().longOpt("null-ratio").hasArg().argName("R").desc("share of fields missing, null, empty or of the wrong type (default 0.02)").get())
                .addOption(Option.builder().longOpt("malformed-ratio").hasArg().argName("R").desc("share of lines that are not JSON objects (default 0.001)").get())
                .addOption(Option.builder().longOpt("gzip").desc("write .json.gz files").get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        if (!line.hasOption("events") || !line.hasOption("output")) {
            throw new UserException("sample needs --events N and --output DIR (etl sample --help)");
        }
        long events = Flags.wholeNumber(line, "events", 0);
        Path output = Flags.writableLocalFolder(line, "output");
        Partition partition = Flags.partition(line);
        refuseFolderInsideATree(output, partition);
        int files = Flags.wholeNumber(line, "files", SampleSpec.defaultFiles(events), 1, SampleSpec.MAX_FILES);
        if (files > Math.max(events, 1)) {
            throw new UserException("--files " + files + " is more than --events " + events + ": " + (files - Math.max(events, 1))
                    + " of the files would be empty; give at most as many files as events");
        }
        SampleSpec spec = new SampleSpec(
                partition,
                output,
                events,
                files,
                Flags.wholeNumber(line, "seed", 1),
                Flags.number(line, "null-ratio", 0.02),
                Flags.number(line, "malformed-ratio", 0.001),
                line.hasOption("gzip"));
        FileProblems.makeFolder("--output", output);
        long started = System.nanoTime();
        // a line every 2 s while it writes, none for a sample written faster than that
        long[] lastReport = {started};
        long bytes = new SampleWriter(spec).write(written -> {
            long now = System.nanoTime();
            synchronized (lastReport) {
                if (now - lastReport[0] > 2_000_000_000L) {
                    lastReport[0] = now;
                    console.err().printf("  %,.0f MB written%n", written / 1e6);
                }
            }
        });
        double seconds = (System.nanoTime() - started) / 1e9;
        // gzip: the files' size on disk, as a load counts its source, and the JSON's beside it
        String size = spec.gzip() ? String.format("%.1f MB (%.1f MB of JSON)", filesSize(spec) / 1e6, bytes / 1e6) : String.format("%.1f MB", bytes / 1e6);
        console.out().printf("wrote %,d line%s in %,d file%s, %s, to %s in %.1f s%n",
                events, events == 1 ? "" : "s", spec.files(), spec.files() == 1 ? "" : "s", size, spec.partitionFolder(), seconds);
        return ExitCode.DONE;
    }

    /**
     * Refuses an --output that is no source root: a folder inside a source tree (a channel's or a
     * day's folder, which names the tree's folders in its path), where the sample nested a whole
     * brand/tracker/… tree inside the day, or an etl output (it holds _etl), whose datasets it
     * would lie among.
     */
    private static void refuseFolderInsideATree(Path output, Partition partition)
    {
        String path = output.toAbsolutePath().normalize() + "/";
        if (path.contains("/" + partition.brand() + "/" + partition.tracker() + "/")) {
            throw new UserException("--output " + output + " looks like a folder inside a source tree (its path holds " + partition.brand() + "/" + partition.tracker()
                    + "/): the sample writes " + partition.sourcePath() + "/ under it; give the folder that holds " + partition.brand() + "/");
        }
        if (Files.isDirectory(output.resolve("_etl"))) {
            throw new UserException("--output " + output + " is an etl output (it holds _etl): a sample is source data; give another folder");
        }
    }

    private static long filesSize(SampleSpec spec)
            throws IOException
    {
        long size = 0;
        for (int file = 0; file < spec.files(); file++) {
            size += Files.size(spec.partitionFolder().resolve(SampleWriter.fileName(file, true)));
        }
        return size;
    }
}
