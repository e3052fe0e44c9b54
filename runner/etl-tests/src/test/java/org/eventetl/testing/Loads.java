package org.eventetl.testing;

import java.nio.file.Path;

import org.eventetl.engine.duckdb.DuckDbEngine;
import org.eventetl.engine.duckdb.DuckDbSettings;
import org.eventetl.load.LoadListener;
import org.eventetl.load.LoadRequest;
import org.eventetl.load.LoadResult;
import org.eventetl.load.Loader;
import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.plan.StepResolver;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.LocalStorage;
import org.eventetl.storage.Location;

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

    public static PlanRenderer plan()
    {
        return new PlanRenderer(new StepResolver(home().resolve("sql")).resolve(), new SqlRenderer(home().resolve("templates")));
    }

    public static LoadResult load(Partition partition, Path sourceRoot, Path outputRoot, double maxRejectRatio)
    {
        try (DuckDbEngine engine = new DuckDbEngine(DuckDbSettings.defaults())) {
            return new Loader(new LocalStorage(), plan(), engine, LoadListener.SILENT)
                    .load(new LoadRequest(partition, Location.local(sourceRoot), Location.local(outputRoot), EngineKind.DUCKDB, maxRejectRatio));
        }
    }
}
