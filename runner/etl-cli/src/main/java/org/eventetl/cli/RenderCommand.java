package org.eventetl.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.TargetPrefix;

/**
 * {@code etl render}: the SQL that {@code load} would send, step by step, and the prefixes it would
 * clear. A dry run: it deletes, writes and records nothing outside {@code --out}.
 */
final class RenderCommand
        implements Command
{
    @Override
    public String name()
    {
        return "render";
    }

    @Override
    public String summary()
    {
        return "print the SQL a load would run and the prefixes it would clear (a dry run)";
    }

    @Override
    public String usage()
    {
        return "--partition P [--engine E] [--source DIR] [--output DIR] [--out DIR]";
    }

    @Override
    public Options options()
    {
        return Flags.loadOptions().addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("also write one file per step under DIR/<engine>/<partition path>/ (e.g. target/rendered)").get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        LoadRequest request = Flags.loadRequest(line);
        List<RenderedStep> plan = Flags.pipeline(line, console).render(request);
        Path folder = null;
        if (line.hasOption("out")) {
            folder = Flags.writableLocalFolder(line, "out").resolve(request.engine().id()).resolve(request.partition().hivePath());
            Files.createDirectories(folder);
        }
        for (RenderedStep step : plan) {
            String text = header(step) + step.sql();
            console.out().println(text);
            if (folder != null) {
                Files.writeString(folder.resolve(step.step().name().fileName()), text);
            }
        }
        console.out().println("-- prefixes load clears, in order:");
        for (RenderedStep step : plan) {
            step.target().ifPresent(target -> console.out().println("--   " + target.prefix()));
        }
        if (folder != null) {
            console.err().println("rendered " + plan.size() + " steps into " + folder);
        }
        return ExitCode.DONE;
    }

    private static String header(RenderedStep step)
    {
        return "-- step " + step.step().id() + " (version " + step.step().version() + ", " + step.step().file() + ")\n"
                + "-- checksum " + step.step().checksum() + ", rendered " + step.renderedChecksum() + ", engine " + step.engine() + "\n"
                + "-- target " + step.target().map(TargetPrefix::prefix).orElse("none")
                + (step.step().condition() == org.eventetl.plan.Step.Condition.ALWAYS ? "" : ", runs only when " + step.step().condition().name().toLowerCase())
                + (step.step().scope() == org.eventetl.plan.Step.Scope.DATABASE ? ", scope database (once per database where the catalog persists)" : "") + "\n";
    }
}
