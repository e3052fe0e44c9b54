package org.eventetl.cli;

import java.time.Duration;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.engine.EngineKind;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.partition.Partition;
import org.eventetl.partition.PartitionRange;
import org.eventetl.storage.Location;

/** The flags several commands share, defined once so that their names and help agree everywhere. */
final class Flags
{
    static final String DEFAULT_SOURCE = "data/sample";
    static final String DEFAULT_OUTPUT = "data/output";

    private Flags() {}

    static Option partition()
    {
        return Option.builder().longOpt("partition").hasArg().argName("P")
                .desc("the partition, e.g. " + Partition.EXAMPLE).get();
    }

    static Option source()
    {
        return Option.builder().longOpt("source").hasArg().argName("DIR")
                .desc("root of the raw JSON, laid out brand/tracker/channel/yyyy/mm/dd (default " + DEFAULT_SOURCE + ")").get();
    }

    static Option output()
    {
        return Option.builder().longOpt("output").hasArg().argName("DIR")
                .desc("root of the outputs (default " + DEFAULT_OUTPUT + ")").get();
    }

    static Option engine()
    {
        return Option.builder().longOpt("engine").hasArg().argName("E")
                .desc("engine: " + EngineKind.ids() + " (default duckdb)").get();
    }

    static Option maxRejectRatio()
    {
        return Option.builder().longOpt("max-reject-ratio").hasArg().argName("R")
                .desc("fail when more than this share of non-blank lines are not JSON objects (default " + LoadRequest.DEFAULT_MAX_REJECT_RATIO + ")").get();
    }

    static Option json()
    {
        return Option.builder().longOpt("json").desc("print the summary as JSON (for schedulers)").get();
    }

    static Option leaseSeconds()
    {
        return Option.builder().longOpt("lease-seconds").hasArg().argName("S")
                .desc("how long the partition's lease lasts unless renewed (renewed every S/3; default " + Pipeline.DEFAULT_LEASE.toSeconds() + ")").get();
    }

    static Duration leaseDuration(CommandLine line)
    {
        long seconds = wholeNumber(line, "lease-seconds", Pipeline.DEFAULT_LEASE.toSeconds());
        if (seconds < 1) {
            throw new UserException("--lease-seconds must be at least 1");
        }
        return Duration.ofSeconds(seconds);
    }

    static Options loadOptions()
    {
        return new Options().addOption(partition()).addOption(source()).addOption(output()).addOption(engine()).addOption(maxRejectRatio());
    }

    static Options rangeOptions()
    {
        return new Options().addOption(partition()).addOption(source()).addOption(output()).addOption(engine())
                .addOption(Option.builder().longOpt("from").hasArg().argName("DATE").desc("first day of a range, e.g. 2017-08-01").get())
                .addOption(Option.builder().longOpt("to").hasArg().argName("DATE").desc("last day of a range, included").get());
    }

    /** A full --partition is one day; --from/--to with brand/tracker/channel is a range. */
    static PartitionRange range(CommandLine line)
    {
        if (line.hasOption("from") || line.hasOption("to")) {
            return PartitionRange.parse(line.getOptionValue("partition"), line.getOptionValue("from"), line.getOptionValue("to"));
        }
        return PartitionRange.of(partition(line));
    }

    static LoadRequest loadRequest(CommandLine line, Partition partition)
    {
        return new LoadRequest(
                partition,
                Location.of(line.getOptionValue("source", DEFAULT_SOURCE)),
                output(line),
                EngineKind.parse(line.getOptionValue("engine", "duckdb")),
                number(line, "max-reject-ratio", LoadRequest.DEFAULT_MAX_REJECT_RATIO));
    }

    static Partition partition(CommandLine line)
    {
        return Partition.parse(line.getOptionValue("partition"));
    }

    static LoadRequest loadRequest(CommandLine line)
    {
        return loadRequest(line, partition(line));
    }

    static Location output(CommandLine line)
    {
        return Location.of(line.getOptionValue("output", DEFAULT_OUTPUT));
    }

    static double number(CommandLine line, String flag, double fallback)
    {
        String value = line.getOptionValue(flag);
        if (value == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            throw new UserException("--" + flag + " must be a number, got '" + value + "'");
        }
    }

    static long wholeNumber(CommandLine line, String flag, long fallback)
    {
        String value = line.getOptionValue(flag);
        if (value == null) {
            return fallback;
        }
        try {
            return Long.parseLong(value.replace("_", ""));
        }
        catch (NumberFormatException e) {
            throw new UserException("--" + flag + " must be a whole number, got '" + value + "'");
        }
    }
}
