package org.eventetl.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.engine.EngineKind;
import org.eventetl.load.LoadRequest;
import org.eventetl.partition.Partition;
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

    static Options loadOptions()
    {
        return new Options().addOption(partition()).addOption(source()).addOption(output()).addOption(engine()).addOption(maxRejectRatio());
    }

    static Partition partition(CommandLine line)
    {
        return Partition.parse(line.getOptionValue("partition"));
    }

    static LoadRequest loadRequest(CommandLine line)
    {
        return new LoadRequest(
                partition(line),
                Location.of(line.getOptionValue("source", DEFAULT_SOURCE)),
                output(line),
                EngineKind.parse(line.getOptionValue("engine", "duckdb")),
                number(line, "max-reject-ratio", LoadRequest.DEFAULT_MAX_REJECT_RATIO));
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
