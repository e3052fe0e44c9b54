package org.eventetl.cli;

import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.history.Publication;
import org.eventetl.history.PublicationStore;
import org.eventetl.lease.LeaseStore;
import org.eventetl.load.PublishedRuns;
import org.eventetl.load.UnfinishedPublishes;
import org.eventetl.model.StepFailedException;
import org.eventetl.model.TerminalText;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Scripts;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.PublishedPrefix;

/** {@code etl show <dataset>}: prints a dataset's rows for one partition. */
final class ShowCommand
        implements Command
{
    @Override
    public String name()
    {
        return "show";
    }

    @Override
    public String summary()
    {
        return "print a dataset's rows for a partition: any dataset a step of sql/ writes";
    }

    @Override
    public String usage()
    {
        return "<dataset> --partition P [--output DIR] [--limit N] [--config FILE] [--s3-endpoint URL]";
    }

    @Override
    public boolean takesArguments()
    {
        return true;
    }

    @Override
    public Options options()
    {
        return new Options().addOption(Flags.partition()).addOption(Flags.output()).addOption(Flags.config()).addOption(Flags.s3Endpoint())
                .addOption(Option.builder().longOpt("limit").hasArg().argName("N").desc("print at most N rows (default 50)").get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        Scripts scripts = Flags.pipeline(line, console).scripts();
        String dataset = dataset(line.getArgList(), scripts.datasets());
        long limit = Flags.wholeNumber(line, "limit", 50);
        if (limit < 0 || limit > Integer.MAX_VALUE) {
            throw new UserException("--limit must be a whole number from 0 to " + Integer.MAX_VALUE + ", got " + limit);
        }
        Partition partition = Flags.partition(line);
        Location output = Flags.output(line);
        FileProblems.requireOutputPath(output);
        FileProblems.nearestFolder("--output", output);
        Location prefix = new PublishedPrefix(output, dataset, partition).location();
        RoutingStorage storage = new RoutingStorage(Flags.settings(line).s3());
        DatasetReader reader = new DatasetReader(storage);
        // read even when the dataset is there: a damaged pointer is refused by every command that reads the day, as status refuses it
        Optional<Publication> published = FileProblems.reading("what " + output + " has published",
                () -> new PublicationStore(storage, output).read(partition));
        if (!FileProblems.reading(prefix.asPrefix(), () -> reader.exists(prefix))) {
            Optional<String> publishing = FileProblems.reading("the staging under " + output,
                    () -> UnfinishedPublishes.of(storage, output, partition).forAReader(LeaseStore.liveHolder(storage, output, partition)));
            if (publishing.isPresent()) {
                // a publish cut short (or under way) before it swapped this dataset in, or a first load under
                // way: "load it" is not what to say (status says what it needs)
                throw new UserException("no " + dataset + " for " + partition + " under " + output + " yet: " + publishing.get());
            }
            if (published.isEmpty()) {
                // a misspelt brand, tracker or channel is no day to load first
                throw new UserException("no " + dataset + " for " + partition + " under " + output + ": "
                        + LoadedChannels.whyNothingIsThere(storage, output, partition).orElse("the partition is not published; run etl load first"));
            }
            if (!published.get().datasets().contains(dataset)) {
                throw new UserException("no " + dataset + " for " + partition + ": run " + published.get().runId()
                        + " published it before a step wrote " + dataset + "; reload the day (etl status shows the step as pending)");
            }
            refuseRowsGone(dataset, published.get(), prefix);
            // a published day without the dataset: its step had nothing to do (a day without rejects), not an error
            console.out().println(noRows(dataset, published, partition));
            return ExitCode.DONE;
        }
        if (published.isEmpty() && FileProblems.reading("the staging under " + output, () -> UnfinishedPublishes.of(storage, output, partition).none())) {
            // files where no load of the channel ever ran (another tool's folder given as --output): no run's rows to show
            Optional<String> nothing = LoadedChannels.whyNothingIsThere(storage, output, partition);
            if (nothing.isPresent()) {
                throw new UserException("no " + dataset + " published by etl for " + partition + " under " + output + ": " + nothing.get());
            }
        }
        // files copied in by hand (another day's, say) are read with the run's: shown as a reader sees
        // them, said on stderr with the rows (a folder that cannot be read says it in its one line)
        Optional<String> changed = FileProblems.reading(prefix.asPrefix(), () -> PublishedRuns.filesChanged(storage, output, partition, dataset));
        // the rows are printed as they are read (a day's event_details, millions of rows, would not fit
        // in the heap held whole); one row more than shown tells whether the limit left rows out
        ShownRows shown = new ShownRows(console, limit, () -> Stream.concat(
                changed.map(text -> text + ": the rows shown are the folder's as it is now, as every reader of it reads them;"
                        + " etl status says the day is not current, and a reload writes it again").stream(),
                publishUnderWay(storage, output, partition, dataset).stream()).toList());
        try {
            reader.read(prefix, scripts.showOrder(dataset).orElse("ALL"), limit + 1, shown);
        }
        catch (SQLException e) {
            String cannot = "cannot read " + dataset + " under " + prefix.asPrefix() + ": " + StepFailedException.firstLine(e.getMessage(), "DuckDB failed without a message");
            if (changed.isPresent()) {
                // files that are not as its run published them, and that DuckDB cannot read: the user's to move or reload
                throw new UserException(cannot + "; " + changed.get() + "; etl status says what a reload of the day needs", e);
            }
            // the run's files are there as it published them, but DuckDB cannot read them: damaged
            throw new StepFailedException(cannot + "; load the partition again", e);
        }
        if (shown.rows() == 0) {
            if (published.isPresent()) {
                refuseRowsGone(dataset, published.get(), prefix);
            }
            shown.begin();
            if (limit > 0) {
                // files without rows (a day whose events have no country has no dau): said as for a dataset without files
                console.out().println(noRows(dataset, published, partition));
                return ExitCode.DONE;
            }
            shown.header();
        }
        if (shown.rows() > limit) {
            // on stderr: stdout stays the rows, for a pipe
            console.err().println(limit == 0 ? "etl: the columns of " + dataset + " shown, none of its rows (--limit 0); --limit N shows them"
                    : "etl: the first " + String.format("%,d", limit) + " row" + (limit == 1 ? "" : "s") + " of " + dataset + " shown; --limit N shows more");
        }
        return ExitCode.DONE;
    }

    /**
     * What a reader of a dataset found must know when a publish of the day began and is not finished
     * (under way now, or cut short): the rows are of one run, whole, but the day's datasets may mix
     * two runs until that publish is finished (the report page cautions its reader the same way).
     */
    private static Optional<String> publishUnderWay(RoutingStorage storage, Location output, Partition partition, String dataset)
    {
        UnfinishedPublishes unfinished = FileProblems.reading("the staging under " + output, () -> UnfinishedPublishes.of(storage, output, partition));
        if (unfinished.none()) {
            return Optional.empty();
        }
        String run = unfinished.runs().get(0);
        Optional<String> whose = Optional.ofNullable(FileProblems.reading("the marker of " + dataset, () -> PublishedRuns.of(storage, output, partition, List.of(dataset))).get(dataset));
        if (FileProblems.reading("the lease of " + partition, () -> LeaseStore.liveHolder(storage, output, partition)).filter(run::equals).isPresent()) {
            // its lease is live: under way, not cut short, and no repair is needed (nor may one run)
            String again = "; show it again once that load has ended";
            return Optional.of(whose.filter(run::equals).isPresent()
                    ? "these rows are run " + run + "'s, which is publishing the day now: other datasets of the day may still be an earlier run's" + again
                    : whose.isEmpty() ? "run " + run + " is publishing the day now, and these rows carry no run's marker yet (they are being copied in)" + again
                    : "run " + run + " is publishing the day now and has not replaced these rows (run " + whose.get() + "'s) yet: other datasets of the day may be its already"
                            + again);
        }
        String then = "; etl status says which, and " + unfinished.whyOnlyALoadFinishes().orElse("etl repair or a rerun of the load finishes a publish cut short");
        if (whose.filter(run::equals).isPresent()) {
            return Optional.of("these rows are run " + run + "'s, whose publish began and is not finished (it is publishing now, or was cut short):"
                    + " other datasets of the day may still be an earlier run's" + then);
        }
        if (whose.isEmpty()) {
            // no marker: the earlier run's marker went with its files, and the new one is not there yet
            return Optional.of("the publish of run " + run + " began and is not finished (it is publishing now, or was cut short), and these rows carry no"
                    + " run's marker: they may be that run's, copied in before it stopped, or no run's; other datasets of the day may mix two runs" + then);
        }
        return Optional.of("the publish of run " + run + " began and is not finished (it is publishing now, or was cut short) and has not replaced these rows"
                + " (run " + whose.get() + "'s) yet: other datasets of the day may be that run's already" + then);
    }

    /**
     * Prints rows as they come, tab-separated under their header, up to the limit; counts them all.
     * Before the first (or, for a dataset without rows, before saying so) comes on stderr the
     * cautions (files not as the run published them, a publish under way), once: stdout stays the
     * rows, for a pipe.
     */
    private static final class ShownRows
            implements DatasetReader.RowSink
    {
        private final Console console;
        private final long limit;
        private final Supplier<List<String>> cautions;
        private List<String> columns = List.of();
        private long rows;
        private boolean begun;

        ShownRows(Console console, long limit, Supplier<List<String>> cautions)
        {
            this.console = console;
            this.limit = limit;
            this.cautions = cautions;
        }

        @Override
        public void columns(List<String> columns)
        {
            this.columns = columns;
        }

        @Override
        public void row(List<Object> values)
        {
            if (rows == 0) {
                begin();
                header();
            }
            if (rows < limit) {
                console.out().println(String.join("\t", values.stream().map(value -> cell(DatasetReader.Table.text(value))).toList()));
            }
            rows++;
        }

        void begin()
        {
            if (!begun) {
                begun = true;
                cautions.get().forEach(text -> console.err().println("etl: warning: " + text));
            }
        }

        void header()
        {
            console.out().println(String.join("\t", columns));
        }

        long rows()
        {
            return rows;
        }
    }

    /**
     * A value as one cell of a tab-separated row: a tab or a line break in it (a file's name, a
     * reject's text) is shown escaped, and so is every other control character, as {@code \xHH}: a
     * reject's bytes reach a terminal, where an escape sequence would recolour, move or retitle it.
     */
    private static String cell(String value)
    {
        return TerminalText.escaped(value);
    }

    /** A dataset whose published run wrote rows, found without any: deleted or emptied since, not a day without them. */
    private static void refuseRowsGone(String dataset, Publication published, Location prefix)
    {
        Optional<String> gone = published.rowsGone(dataset, prefix.asPrefix());
        if (gone.isPresent()) {
            throw new UserException(gone.get());
        }
    }

    private static String noRows(String dataset, Optional<Publication> published, Partition partition)
    {
        String run = published.map(publication -> "run " + publication.runId() + ", published for " + partition + ", wrote none").orElse("the published files hold none");
        return "no " + dataset + " rows: " + run;
    }

    private static String dataset(List<String> arguments, List<String> datasets)
    {
        if (arguments.isEmpty()) {
            throw new UserException("show needs a dataset, one of " + String.join(", ", datasets) + " (etl show --help)");
        }
        if (arguments.size() > 1) {
            throw new UserException("show takes one dataset, got " + arguments.size() + ": " + String.join(" ", arguments) + " (etl show --help)");
        }
        String dataset = arguments.get(0);
        if (!datasets.contains(dataset)) {
            throw new UserException("unknown dataset " + dataset + " (one of " + String.join(", ", datasets) + ")");
        }
        return dataset;
    }
}
