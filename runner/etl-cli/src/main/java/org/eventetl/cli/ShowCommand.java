package org.eventetl.cli;

import org.eventetl.model.UserException;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.engine.duckdb.DatasetReader;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.PublishedPrefix;

/** {@code etl show <dataset>}: prints a dataset's rows for one partition. */
final class ShowCommand
        implements Command
{
    private static final List<String> DATASETS = List.of("dau", "events", "event_details", "rejects");

    @Override
    public String name()
    {
        return "show";
    }

    @Override
    public String summary()
    {
        return "print a dataset's rows for a partition: " + String.join(", ", DATASETS);
    }

    @Override
    public String usage()
    {
        return "<dataset> --partition P [--output DIR] [--limit N]";
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
        List<String> arguments = line.getArgList();
        if (arguments.size() != 1 || !DATASETS.contains(arguments.get(0))) {
            throw new UserException("show needs one dataset: " + String.join(", ", DATASETS) + " (etl show --help)");
        }
        String dataset = arguments.get(0);
        Partition partition = Flags.partition(line);
        Location output = Flags.output(line);
        boolean rejects = dataset.equals("rejects");
        Location prefix = new PublishedPrefix(output, dataset, partition).location();
        DatasetReader reader = new DatasetReader(new RoutingStorage(Flags.settings(line).s3()));
        if (!reader.exists(prefix)) {
            throw new UserException("no " + dataset + " for " + partition + " under " + output + (rejects ? " (the load found no rejects)" : "; run etl load first"));
        }
        int limit = (int) Flags.wholeNumber(line, "limit", 50);
        DatasetReader.Table table = reader.read(prefix, dataset.equals("dau") ? "country" : "", limit);
        console.out().println(String.join("\t", table.columns()));
        for (List<String> row : table.rows()) {
            console.out().println(String.join("\t", row));
        }
        return ExitCode.DONE;
    }
}
