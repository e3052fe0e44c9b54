package org.eventetl.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.config.Numbers;
import org.eventetl.config.Settings;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.partition.PartitionRange;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.Storage;

/** The flags several commands share, defined once so that their names and help agree everywhere. */
final class Flags
{
    /** A channel's brand/tracker/channel, the --partition of a range. */
    static final String CHANNEL_EXAMPLE = Partition.EXAMPLE.substring(0, Partition.EXAMPLE.indexOf("/year="));
    private static final Duration MAX_LEASE = Duration.ofDays(1);
    /** The settings that a flag of a value overrides: by key, the flag. */
    private static final Map<String, String> SETTING_FLAGS = Map.of(
            "engine", "engine",
            "source", "source",
            "output", "output",
            "s3.endpoint", "s3-endpoint",
            "athena.endpoint", "athena-endpoint",
            "athena.query-timeout-seconds", "query-timeout",
            "audits.min-volume-ratio", "min-volume-ratio");

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
                .desc("warn when a country's DAU falls below this share of its median over the published days among the 7 before (judged from 3; audits.min-volume-ratio; default "
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
        if (seconds < 1 || seconds > MAX_LEASE.toSeconds()) {
            // a run killed while it holds a longer lease would keep its day from every other run for days
            throw new UserException("--lease-seconds must be from 1 to " + MAX_LEASE.toSeconds() + " (a day), got " + seconds);
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
        if (line.hasOption("config") && line.getOptionValue("config").isBlank()) {
            throw new UserException("--config is empty; give the path of a properties file of settings (etl load --help lists the keys)");
        }
        Optional<Path> config = Optional.ofNullable(line.getOptionValue("config")).map(Path::of);
        config.ifPresent(Flags::requireConfigFile);
        Map<String, String> overrides = new HashMap<>();
        Map<String, String> flagNames = new HashMap<>();
        SETTING_FLAGS.forEach((key, flag) -> {
            overrides.put(key, line.getOptionValue(flag));
            flagNames.put(key, "--" + flag);
        });
        overrides.put("audits.strict", line.hasOption("strict-audits") ? "true" : null);
        flagNames.put("audits.strict", "--strict-audits");
        return Settings.load(config, overrides, flagNames);
    }

    /** Says why a --config file cannot be read (Java's own message names the file only). */
    private static void requireConfigFile(Path file)
    {
        if (!Files.exists(file)) {
            throw new UserException("--config " + file + " does not exist; give the path of a properties file of settings (etl load --help lists the keys)");
        }
        if (!Files.isRegularFile(file)) {
            throw new UserException("--config " + file + " is not a file; give the path of a properties file of settings");
        }
        if (!Files.isReadable(file)) {
            throw new UserException("--config " + file + ": permission denied; run as a user who may read it, or make it readable");
        }
    }

    /** --partition of status and validate: a day, or a channel with --from/--to. */
    static Option dayOrChannel()
    {
        return Option.builder().longOpt("partition").hasArg().argName("P")
                .desc("a day, e.g. " + Partition.EXAMPLE + ", or with --from/--to a channel, e.g. " + CHANNEL_EXAMPLE).get();
    }

    /** --partition of backfill: always a channel, whose days --from/--to give. */
    static Option channel()
    {
        return Option.builder().longOpt("partition").hasArg().argName("P")
                .desc("the channel whose days to load, e.g. " + CHANNEL_EXAMPLE + " (the days are --from/--to)").get();
    }

    static Options rangeOptions(Option partition)
    {
        return publishedRangeOptions(partition).addOption(source()).addOption(engine());
    }

    /** {@link #rangeOptions} for a command that reads what the output holds only, neither the source nor an engine. */
    static Options publishedRangeOptions(Option partition)
    {
        return new Options().addOption(partition).addOption(output()).addOption(config()).addOption(s3Endpoint())
                .addOption(Option.builder().longOpt("from").hasArg().argName("DATE").desc("first day of a range, e.g. 2017-08-01").get())
                .addOption(Option.builder().longOpt("to").hasArg().argName("DATE").desc("last day of a range, included").get());
    }

    /**
     * A full --partition is one day; --from/--to with brand/tracker/channel is a range. A day and
     * a range together are refused: which one was meant cannot be told, and a day that is silently
     * ignored is worse than a question.
     */
    static PartitionRange range(CommandLine line, String command)
    {
        if (line.hasOption("from") || line.hasOption("to")) {
            String channel = partitionText(line);
            if (channel.isEmpty()) {
                throw new UserException("--from and --to need --partition brand=…/tracker=…/channel=… (etl " + command + " --help)");
            }
            if (!keyValueParts(channel)) {
                throw new UserException("--partition " + channel + " is not of key=value parts; with --from/--to give the channel, e.g. " + CHANNEL_EXAMPLE
                        + " (etl " + command + " --help)");
            }
            if (namesADay(channel)) {
                throw new UserException("--partition " + channel + " goes below the channel (to a year, month or day), but --from/--to give the days;"
                        + " give the channel alone with them, e.g. "
                        + CHANNEL_EXAMPLE + " (etl " + command + " --help)");
            }
            return PartitionRange.parse(channel, line.getOptionValue("from"), line.getOptionValue("to"));
        }
        String text = partitionText(line);
        if (!text.isEmpty() && !namesADay(text) && !keyValueParts(text)) {
            // not a channel without its days, but no partition at all (often the source's own folders, olx/hydra/…)
            throw new UserException("--partition " + text + " is not of key=value parts, e.g. " + Partition.EXAMPLE + " (etl " + command + " --help)");
        }
        if (!text.isEmpty() && !namesADay(text)) {
            // a channel alone: the command takes one, with the days it is to cover
            throw new UserException("--partition " + text + " names no day: give its days with --from and --to, or one day, e.g. " + Partition.EXAMPLE
                    + " (etl " + command + " --help)");
        }
        return PartitionRange.of(partition(line));
    }

    /** Whether every part of a --partition text is key=value, as a partition's are (not the source's folders, olx/hydra/…). */
    private static boolean keyValueParts(String text)
    {
        return Arrays.stream(text.split("/")).allMatch(part -> part.contains("="));
    }

    /** Whether a --partition text goes down to a day (has a year, month or day part), not just a channel. */
    private static boolean namesADay(String text)
    {
        return text.matches("(.*/)?(year|month|day)=.*");
    }

    static LoadRequest loadRequest(CommandLine line, Partition partition)
    {
        Settings settings = settings(line);
        return new LoadRequest(
                partition,
                location(line, settings, "source"),
                location(line, settings, "output"),
                engine(line, settings),
                number(line, "max-reject-ratio", LoadRequest.DEFAULT_MAX_REJECT_RATIO),
                ratio(settings.name("audits.min-volume-ratio"), settings.get("audits.min-volume-ratio")),
                settings.flag("audits.strict"));
    }

    static Partition partition(CommandLine line)
    {
        return Partition.parse(partitionText(line));
    }

    /**
     * --partition as typed, without the trailing slash that a shell's completion of a folder adds
     * (an empty text when the flag is absent: the parser says what is required).
     */
    static String partitionText(CommandLine line)
    {
        String text = line.getOptionValue("partition", "").strip().replaceAll("/+$", "");
        if (text.isEmpty() && line.hasOption("partition")) {
            // given, but empty (an unset shell variable, say): not "required", which says to add it
            throw new UserException("--partition is given empty; give a partition, e.g. " + Partition.EXAMPLE);
        }
        return text;
    }

    static LoadRequest loadRequest(CommandLine line)
    {
        return loadRequest(line, partition(line));
    }

    static Location output(CommandLine line)
    {
        return location(line, settings(line), "output");
    }

    /**
     * The source or output root, named in a message as the user gave it (its flag, or its --config
     * key): either may be given empty, which names no folder.
     */
    private static Location location(CommandLine line, Settings settings, String key)
    {
        String name = settings.name(key);
        String text = settings.get(key).strip();
        if (text.isEmpty()) {
            throw new UserException(name + " is empty; give a folder or s3://bucket/prefix");
        }
        if (text.equals("~") || text.startsWith("~/")) {
            // a shell expands ~ only where it is not quoted, and a --config file not at all: taken
            // as it is, it named a folder called ~ under the current one (which rm -rf ~ would miss)
            throw new UserException(name + " " + text + ": ~ is not expanded here (a shell expands it only unquoted, a --config file never);"
                    + " write the full path, or $HOME/" + (text.length() > 2 ? text.substring(2) : "") + " in the shell");
        }
        try {
            return Location.of(text);
        }
        catch (IllegalArgumentException e) {
            throw new UserException(name + " " + e.getMessage());
        }
    }

    /**
     * Refuses a source root that the user gave (--source, or the source key of --config) and that is
     * no local folder: missing (a typo, a share not mounted), every day of it would be "no source",
     * and status and backfill would stay green while nothing loads. On S3, where folders are only key
     * prefixes, the root must hold at least one object. Then the same one level down: a root without
     * the partition's brand, tracker or channel (a typo in --partition), unless the output has history
     * of that channel. The default source is checked where it exists; where it does not, status
     * compares templates only, and this returns false: the source was not checked.
     */
    static boolean requireSourceRoot(CommandLine line, Storage storage, Partition anyDay)
    {
        Settings settings = settings(line);
        Location root = location(line, settings, "source");
        if (!settings.given("source") && (root.isS3() || !Files.isDirectory(root.toPath()))) {
            // no source of the user's own, and no default one: status compares templates only
            return false;
        }
        String name = settings.name("source");
        FileProblems.requireFolderIfPresent(name, root);
        if (!root.isS3() && !Files.exists(root.toPath())) {
            throw new UserException(name + " " + root.toPath() + " does not exist, so no day has source data there;"
                    + " give the folder that holds brand/tracker/channel/yyyy/mm/dd/ (or mount it)");
        }
        // an empty folder is what a mount point shows when its mount dropped: every day would be
        // "no source", and a scheduled backfill and its status check would both pass, loading nothing
        if (!root.isS3() && FileProblems.reading(root.toPath().toString(), () -> isEmptyFolder(root.toPath()))) {
            throw new UserException(name + " " + root.toPath() + " is an empty folder, so no day has source data there;"
                    + " give the folder that holds brand/tracker/channel/yyyy/mm/dd/ (or mount it)");
        }
        if (root.isS3() && !FileProblems.reading(root.asPrefix(), () -> storage.folderExists(root))) {
            throw new UserException(name + " " + root + " holds no objects, so no day has source data there;"
                    + " give the prefix that holds brand/tracker/channel/yyyy/mm/dd/");
        }
        // a misspelt brand, tracker or channel does the same one level down: every day "no source".
        // A channel the output has history of is no typo (its source may be gone by retention upstream)
        String channel = anyDay.channelPath();
        Location history = output(line).resolve("_etl/history").resolve(channel);
        if (FileProblems.reading(history.asPrefix(), () -> storage.folderExists(history))) {
            return true;
        }
        Location folder = root;
        String path = "";
        for (String level : List.of(anyDay.brand(), anyDay.tracker(), anyDay.channel())) {
            Location next = folder.resolve(level);
            if (!FileProblems.reading(next.asPrefix(), () -> storage.folderExists(next))) {
                Location parent = folder;
                List<String> there = FileProblems.reading(parent.asPrefix(), () -> storage.listFolders(parent));
                // a root given one level too deep (the channel's or a day's folder) names the tree's folders in its own path
                boolean inside = path.isEmpty() && (root.uri() + "/").contains("/" + anyDay.brand() + "/" + anyDay.tracker() + "/");
                throw new UserException(name + " " + root + " has no folder " + path + level + " for " + channel
                        + (there.isEmpty() ? "" : " (" + (path.isEmpty() ? "it" : path.substring(0, path.length() - 1)) + " holds " + String.join(", ", there) + ")")
                        + ", so no day has source data there; " + (inside ? "it looks like a folder inside the source tree: give " + name + " the folder that holds "
                                + anyDay.brand() + "/" : "check the partition's brand, tracker and channel"));
            }
            folder = next;
            path += level + "/";
        }
        return true;
    }

    /**
     * For a range of which no day has source data: the years the channel's source folder does hold,
     * when none of the range's is among them (a range typed with the wrong year shows every day
     * "no source", as days not landed yet do; this tells the two apart for the person reading).
     */
    static Optional<String> yearsTheSourceHolds(CommandLine line, Storage storage, List<Partition> range)
    {
        Settings settings = settings(line);
        Location root = location(line, settings, "source");
        Partition anyDay = range.get(0);
        Location channel = root.resolve(anyDay.sourceChannelPath());
        List<String> years;
        try {
            years = storage.listFolders(channel).stream().filter(name -> name.matches("\\d{4}")).toList();
        }
        catch (IOException | UncheckedIOException e) {
            // a hint only: the days' own lines say what could not be read
            return Optional.empty();
        }
        boolean anyYearThere = range.stream().map(day -> String.format("%04d", day.day().getYear())).anyMatch(years::contains);
        // the year after the newest there is a new year whose days have not landed yet (a daily job on 1 January)
        int newest = years.stream().mapToInt(Integer::parseInt).max().orElse(0);
        boolean nextYear = range.stream().allMatch(day -> day.day().getYear() == newest + 1);
        if (years.isEmpty() || anyYearThere || nextYear) {
            return Optional.empty();
        }
        return Optional.of("no day " + (range.size() == 1 ? "" : "of the range ") + "has source data: " + channel.asPrefix() + " holds the year"
                + (years.size() == 1 ? " " : "s ") + String.join(", ", years) + " only; check " + (line.hasOption("from") ? "--from and --to" : "the partition's year"));
    }

    private static boolean isEmptyFolder(Path folder)
            throws IOException
    {
        if (!Files.isDirectory(folder)) {
            return false;
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.findAny().isEmpty();
        }
    }

    /**
     * A load, backfill or render without a source of the user's own reads the default, data/sample,
     * which a fresh clone does not have yet (nor a folder other than the project's): that is said as
     * such, with how to make one, rather than as a missing partition to check, or a backfill that
     * loads nothing and succeeds. (status takes no source as "compare templates only".)
     */
    static void requireDefaultSource(CommandLine line, LoadRequest request)
    {
        Settings settings = settings(line);
        // a file given as the root: said as status says it, not as a path that cannot be listed
        FileProblems.requireFolderIfPresent(settings.name("source"), request.source());
        // Trino and Athena render without listing the source, and refuse a local one when they load
        if (request.engine() != EngineKind.DUCKDB || settings.given("source")) {
            return;
        }
        Location root = location(line, settings, "source");
        if (!root.isS3() && !Files.exists(root.toPath())) {
            throw new UserException("no --source given, and the default " + settings.get("source") + " does not exist yet:"
                    + " make sample writes a sample day there (make load also loads it), or give --source DIR");
        }
    }

    /** The engine of --engine or the engine key; an unknown one named as the user gave it. */
    private static EngineKind engine(CommandLine line, Settings settings)
    {
        try {
            return EngineKind.parse(settings.get("engine"));
        }
        catch (UserException e) {
            throw line.hasOption("engine") ? e : new UserException(settings.name("engine") + ": " + e.getMessage() + Settings.commentHint(settings.get("engine")));
        }
    }

    private static double ratio(String name, String value)
    {
        double ratio = number(name, value);
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new UserException(name + " must be between 0 and 1, got " + value);
        }
        return ratio;
    }

    /** A local folder that a command writes under (sample's --output, render's --out), refused when it cannot be one. */
    static Path writableLocalFolder(CommandLine line, String flag)
    {
        String text = line.getOptionValue(flag, "").strip();
        if (text.isEmpty() || text.startsWith("s3://")) {
            throw new UserException("--" + flag + " must be a local folder, got '" + text + "'");
        }
        Location folder;
        try {
            folder = Location.of(text);
        }
        catch (IllegalArgumentException e) {
            throw new UserException("--" + flag + " must be a local folder: " + e.getMessage());
        }
        FileProblems.requireWritableFolder("--" + flag, folder);
        return folder.toPath();
    }

    /** The output root of a command that writes there: refused when it cannot be a folder this user may write to. */
    static Location writableOutput(CommandLine line)
    {
        Location output = output(line);
        FileProblems.requireOutputRoot(output);
        return output;
    }

    static double number(CommandLine line, String flag, double fallback)
    {
        String value = line.getOptionValue(flag);
        if (value == null) {
            return fallback;
        }
        return Numbers.decimal(value).orElseThrow(() -> new UserException("--" + flag + " must be a number, got '" + value + "'"));
    }

    private static double number(String key, String value)
    {
        return Numbers.decimal(value).orElseThrow(() -> new UserException(key + " must be a number, got '" + value + "'" + Settings.commentHint(value)));
    }

    /** A whole number in {@code [min, max]}, checked before it is narrowed to an int (which would wrap 2^32 + 1 to 1). */
    static int wholeNumber(CommandLine line, String flag, int fallback, int min, int max)
    {
        long value = wholeNumber(line, flag, fallback);
        if (value < min || value > max) {
            throw new UserException("--" + flag + " must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }

    static long wholeNumber(CommandLine line, String flag, long fallback)
    {
        String value = line.getOptionValue(flag);
        if (value == null) {
            return fallback;
        }
        return Numbers.whole(value).orElseThrow(() -> new UserException("--" + flag + " must be a whole number, got '" + value + "'"));
    }
}
