package org.eventetl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.load.LoadRequest;
import org.eventetl.load.Pipeline;
import org.eventetl.model.RunId;
import org.eventetl.model.UserException;
import org.eventetl.plan.Audit;
import org.eventetl.plan.Callback;
import org.eventetl.plan.Step;
import org.eventetl.render.Plan;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.Location;
import org.eventetl.storage.StagedPrefix;

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
        return "print the SQL a load would run (steps, audits, callbacks) and the prefixes its publish would replace (a dry run)";
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
                .desc("also write what it prints under DIR/<engine>/<partition path>/, a file per step, audit and callback that has SQL for the engine"
                        + " (e.g. target/rendered), replacing the files an earlier render wrote there (listed in its " + RENDERED_LIST + ") and no other;"
                        + " two renders differ only where the SQL does").get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        LoadRequest request = Flags.loadRequest(line);
        Flags.requireDefaultSource(line, request);
        Plan plan;
        try {
            plan = Flags.pipeline(line, console).render(request);
        }
        catch (UserException e) {
            if (e.getCause() instanceof IOException && request.source().isS3() && request.engine().readsLocalFilesOnly()) {
                // a dry run that cannot list an object store: what would let it, without a load's access
                throw new UserException(e.getMessage() + "; " + request.engine().id() + "'s SQL names every source file, so rendering it lists the folder:"
                        + " give AWS credentials (the default chain), or render a local copy of the folder (--source DIR)", e);
            }
            throw e;
        }
        Path folder = null;
        if (line.hasOption("out")) {
            Path out = Flags.writableLocalFolder(line, "out");
            for (Location root : List.of(request.output(), request.source())) {
                if (LoadRequest.overlapThroughLinks(Location.local(out), root)) {
                    throw new UserException("--out " + out + " and " + (root == request.output() ? "--output " : "--source ") + root
                            + " overlap; render into a folder of its own (e.g. target/rendered)");
                }
            }
            FileProblems.makeFolder("--out", out);
            folder = out.resolve(request.engine().id()).resolve(request.partition().hivePath());
            if (Files.isSymbolicLink(folder)) {
                throw new UserException("--out: " + folder + " is a link (to " + Files.readSymbolicLink(folder) + "); a render writes only into a folder it made: move the link away");
            }
        }
        Map<String, String> files = renderedFiles(plan);
        if (folder != null) {
            Files.createDirectories(folder);
            replaceEarlierRendering(folder, List.copyOf(files.keySet()));
        }
        for (Map.Entry<String, String> file : files.entrySet()) {
            console.out().println(file.getValue());
            if (folder != null) {
                Files.writeString(folder.resolve(file.getKey()), file.getValue());
            }
        }
        console.out().println("-- the run stages into " + plan.steps().stream().flatMap(step -> step.target().stream()).findFirst()
                .map(target -> target.run().prefix()).orElse("(nothing)") + " (" + RunId.RENDERED + " stands for the run's id), then publishes, replacing:");
        for (RenderedStep step : plan.steps()) {
            step.target().ifPresent(target -> console.out().println("--   " + target.published().prefix()));
        }
        Object unread = plan.context().parameters().get(Pipeline.PUBLISHED_UNREAD);
        if (unread != null) {
            console.out().println("-- " + unread + ": the audits above are rendered as for a partition never published");
        }
        if (folder != null) {
            console.err().println("rendered " + files.size() + " files into " + folder);
        }
        return ExitCode.DONE;
    }

    /** The name of the file in which a render lists the files it wrote into its folder. */
    static final String RENDERED_LIST = ".etl-rendered";

    /**
     * What a render prints, in order, each under the name of the file {@code --out} writes it to:
     * every step, every audit, and every callback that has SQL for the engine.
     */
    private static Map<String, String> renderedFiles(Plan plan)
    {
        Map<String, String> files = new LinkedHashMap<>();
        for (RenderedStep step : plan.steps()) {
            files.put(step.step().name().fileName(), header(step) + step.sql());
        }
        for (Map.Entry<Audit, RenderedScript> audit : plan.audits().entrySet()) {
            files.put(audit.getKey().name().fileName(), "-- audit " + audit.getKey().id() + " (" + audit.getKey().file() + ", severity "
                    + audit.getKey().severity().name().toLowerCase(Locale.ROOT) + "): rows it returns break its expectation\n" + audit.getValue().sql());
        }
        for (Callback.Event event : Callback.Event.values()) {
            for (RenderedScript callback : plan.callbacks(event)) {
                if (!callback.statements().isEmpty()) {
                    files.put(callback.id() + ".sql", "-- callback " + callback.id() + " (" + callback.file() + ")\n" + callback.sql());
                }
            }
        }
        return files;
    }

    /**
     * Removes the files an earlier render wrote into the folder (listed in its {@link #RENDERED_LIST}):
     * a step removed or renamed since would outlive it there, and a review's {@code diff -r} of two
     * renders would not show the removal. Only those: a file of the user's is never deleted, and
     * one that holds a name this render writes refuses the render, before anything is removed.
     * Then lists the files this render writes.
     */
    private static void replaceEarlierRendering(Path folder, List<String> names)
            throws IOException
    {
        Path list = folder.resolve(RENDERED_LIST);
        Set<String> earlier = new LinkedHashSet<>();
        if (Files.isRegularFile(list, LinkOption.NOFOLLOW_LINKS)) {
            Files.readAllLines(list, StandardCharsets.UTF_8).stream()
                    // only plain names: a list edited to say ../x would reach out of the folder
                    .filter(name -> !name.isBlank() && !name.contains("/") && !name.equals("..") && !name.equals("."))
                    .forEach(earlier::add);
        }
        for (String name : names) {
            if (!earlier.contains(name) && Files.exists(folder.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new UserException("--out: " + folder.resolve(name) + " is in the way: no earlier render wrote it (it is not in " + list
                        + "); move it away, or render into another --out");
            }
        }
        for (String name : earlier) {
            Path file = folder.resolve(name);
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.delete(file);
            }
        }
        Files.write(list, names, StandardCharsets.UTF_8);
    }

    private static String header(RenderedStep step)
    {
        return "-- step " + step.step().id() + " (version " + step.step().version() + ", " + step.step().file() + ")\n"
                + "-- checksum " + step.step().checksum() + ", rendered " + step.renderedChecksum() + ", engine " + step.engine() + "\n"
                + "-- target " + step.target().map(StagedPrefix::prefix).orElse("none")
                + (step.step().condition() == Step.Condition.ALWAYS ? "" : ", runs only when " + step.step().condition().name().toLowerCase(Locale.ROOT))
                + (step.step().scope() == Step.Scope.DATABASE ? ", scope database (once per database where the catalog persists)" : "") + "\n";
    }
}
