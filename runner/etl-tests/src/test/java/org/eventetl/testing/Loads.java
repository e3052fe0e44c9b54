package org.eventetl.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.eventetl.config.Settings;
import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.load.LoadListener;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.LoadResult;
import org.eventetl.load.Pipeline;
import org.eventetl.load.RunStop;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Audit;
import org.eventetl.plan.AuditName;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.plan.Step;
import org.eventetl.plan.StepName;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.Location;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.S3Settings;

/** Runs a load in-process with the project's real steps and templates on embedded DuckDB. */
public final class Loads
{
    private Loads() {}

    /** The project folder holding sql/ and templates/, as Surefire passes it. */
    public static Path home()
    {
        String home = System.getProperty("etl.home");
        if (home == null) {
            throw new IllegalStateException("system property etl.home is not set; run the tests through Maven");
        }
        return Path.of(home).toAbsolutePath().normalize();
    }

    /**
     * A copy of the project's sql/ and templates/ in a new folder under {@code parent}, so that a
     * test can add, edit or remove a step, an audit or a callback; run the CLI there with {@link Cli#runIn}.
     */
    public static Path copyOfProject(Path parent)
            throws IOException
    {
        Path home = Files.createTempDirectory(parent, "home");
        for (String folder : List.of("sql", "templates")) {
            Files.createDirectories(home.resolve(folder));
            try (Stream<Path> files = Files.list(home().resolve(folder))) {
                for (Path file : files.toList()) {
                    Files.copy(file, home.resolve(folder).resolve(file.getFileName()));
                }
            }
        }
        return home;
    }

    /**
     * The name of an audit added to {@code sqlFolder} after its own: the next free number, so that
     * a test's audit runs last and keeps its place when the project gains an audit.
     */
    public static AuditName nextAudit(Path sqlFolder, String name)
    {
        int last = new ScriptResolver(sqlFolder).resolve().audits().stream().map(Audit::name).mapToInt(AuditName::number).max().orElse(0);
        return new AuditName(last + 1, name);
    }

    /** The name of a step added to {@code sqlFolder} after its own (the next free version). */
    public static StepName nextStep(Path sqlFolder, String name)
    {
        int last = new ScriptResolver(sqlFolder).resolve().steps().stream().map(Step::name).mapToInt(StepName::version).max().orElse(0);
        return new StepName(last + 1, name);
    }

    /** How many audits {@code sqlFolder} holds. */
    public static int auditCount(Path sqlFolder)
    {
        return new ScriptResolver(sqlFolder).resolve().audits().size();
    }

    public static PlanRenderer planRenderer()
    {
        return new PlanRenderer(new ScriptResolver(home().resolve("sql")).resolve(), new SqlRenderer(home().resolve("templates")));
    }

    /** The project's pipeline over local folders and S3 as {@code settings} reach it. */
    public static Pipeline pipeline(Settings settings)
    {
        return new Pipeline(home().resolve("sql"), home().resolve("templates"), new RoutingStorage(settings.s3()), settings);
    }

    public static Pipeline pipeline()
    {
        return new Pipeline(home().resolve("sql"), home().resolve("templates"), new RoutingStorage(S3Settings.defaults()), Settings.defaultSettings());
    }

    public static LoadResult load(Partition partition, Path sourceRoot, Path outputRoot, double maxRejectRatio)
    {
        return load(new LoadRequest(partition, Location.local(sourceRoot), Location.local(outputRoot), EngineKind.DUCKDB, maxRejectRatio));
    }

    public static LoadResult load(LoadRequest request)
    {
        try (DuckDbEngine engine = new DuckDbEngine(DuckDbSettings.defaults())) {
            return pipeline().load(request, engine, LoadListener.SILENT, Pipeline.DEFAULT_LEASE, new RunStop(engine));
        }
    }
}
