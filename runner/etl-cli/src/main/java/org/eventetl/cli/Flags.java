package org.eventetl.cli;

import org.eventetl.model.UserException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.config.Settings;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.partition.PartitionRange;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;

/** The flags several commands share, defined once so that their names and help agree everywhere. */
final class Flags
{

    private Flags() {}

    static Option partition()
    {
        return Option.builder().longOpt("partition").hasArg().argName("P")
                .desc("the partition, e.g. " + Partition.EXAMPLE).get();
    }

    static Option source()
    {
        return Option.builder().longOpt("source").hasArg().argName("DIR")
                .desc("root of the raw JSON, laid out brand/tracker/channel/yyyy/mm/dd: a folder or s3://bucket/prefix (default data/sample)").get();
    }

    static Option output()
    {
        return Option.builder().longOpt("output").hasArg().argName("DIR")
                .desc("root of the outputs: a folder or s3://bucket/prefix (default data/output)").get();
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

    static Option minVolumeRatio()
    {
        return Option.builder().longOpt("min-volume-ratio").hasArg().argName("R")
                .desc("warn when a country's DAU falls below this share of its median over the last 7 published days (audits.min-volume-ratio; default "
                        + Settings.DEFAULTS.get("audits.min-volume-ratio") + ")").get();
    }

    static Option strictAudits()
    {
        return Option.builder().longOpt("strict-audits")
                .desc("fail the load, publishing nothing, when an audit of severity warning finds rows (audits.strict)").get();
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

    static Option config()
    {
        return Option.builder().longOpt("config").hasArg().argName("FILE")
                .desc("a properties file of settings (" + String.join(", ", Settings.keys()) + "); flags override it").get();
    }

    static Option s3Endpoint()
    {
        return Option.builder().longOpt("s3-endpoint").hasArg().argName("URL")
                .desc("an S3-compatible endpoint, reached with path-style requests (credentials: the AWS default chain)").get();
    }

    static Option athenaEndpoint()
    {
        return Option.builder().longOpt("athena-endpoint").hasArg().argName("URL")
                .desc("an Athena endpoint other than the region's public one: a VPC or FIPS endpoint (credentials: the AWS default chain)").get();
    }

    static Option queryTimeout()
    {
        return Option.builder().longOpt("query-timeout").hasArg().argName("S")
                .desc("athena: stop a query that is still queued or running after S seconds (default "
                        + Settings.DEFAULTS.get("athena.query-timeout-seconds") + ")").get();
    }

    static Options loadOptions()
    {
        return new Options().addOption(partition()).addOption(source()).addOption(output()).addOption(engine()).addOption(maxRejectRatio())
                .addOption(minVolumeRatio()).addOption(strictAudits())
                .addOption(config()).addOption(s3Endpoint()).addOption(athenaEndpoint()).addOption(queryTimeout());
    }

    /** The project's steps over the storages that the settings reach. */
    static Pipeline pipeline(CommandLine line, Console console)
    {
        Settings settings = settings(line);
        return new Pipeline(console.sqlFolder(), console.templatesFolder(), new RoutingStorage(settings.s3()), settings);
    }

    /** The settings of --config, overridden by the flags that were given. */
    static Settings settings(CommandLine line)
    {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("engine", line.getOptionValue("engine"));
        overrides.put("source", line.getOptionValue("source"));
        overrides.put("output", line.getOptionValue("output"));
        overrides.put("s3.endpoint", line.getOptionValue("s3-endpoint"));
        overrides.put("athena.endpoint", line.getOptionValue("athena-endpoint"));
        overrides.put("athena.query-timeout-seconds", line.getOptionValue("query-timeout"));
        overrides.put("audits.min-volume-ratio", line.getOptionValue("min-volume-ratio"));
        overrides.put("audits.strict", line.hasOption("strict-audits") ? "true" : null);
        return Settings.load(Optional.ofNullable(line.getOptionValue("config")).map(Path::of), overrides);
    }

    static Options rangeOptions()
    {
        return new Options().addOption(partition()).addOption(source()).addOption(output()).addOption(engine())
                .addOption(config()).addOption(s3Endpoint())
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
        Settings settings = settings(line);
        return new LoadRequest(
                partition,
                Location.of(settings.get("source")),
                Location.of(settings.get("output")),
                EngineKind.parse(settings.get("engine")),
                number(line, "max-reject-ratio", LoadRequest.DEFAULT_MAX_REJECT_RATIO),
                number("audits.min-volume-ratio", settings.get("audits.min-volume-ratio")),
                Boolean.parseBoolean(settings.get("audits.strict")));
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
        return Location.of(settings(line).get("output"));
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

    private static double number(String key, String value)
    {
        try {
            return Double.parseDouble(value);
        }
        catch (NumberFormatException e) {
            throw new UserException(key + " must be a number, got '" + value + "'");
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
