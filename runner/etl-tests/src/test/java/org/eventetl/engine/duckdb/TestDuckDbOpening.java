package org.eventetl.engine.duckdb;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.duckdb.DuckDBConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.eventetl.engine.QueryRows;
import org.eventetl.render.RenderedScript;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A load opens DuckDB on a thread of its own while it lists the source and renders the steps
 * (DuckDbOpening): the engine that takes that database sets it up as one it opened itself, and a
 * load refused before its engine started closes the database nobody took.
 */
final class TestDuckDbOpening
{
    @TempDir
    Path temporary;

    @Test
    void anEngineSetsUpTheDatabaseOpenedAheadAsItsOwn()
    {
        try (DuckDbOpening opening = DuckDbOpening.begin();
                DuckDbEngine engine = new DuckDbEngine(new DuckDbSettings(1, 300, temporary.resolve("spill")), Optional.of(opening))) {
            QueryRows rows = engine.query(script("SELECT current_setting('threads') AS threads, current_setting('memory_limit') AS memory"), 10);

            assertThat(rows.rows()).hasSize(1);
            assertThat(rows.rows().get(0).get(0)).isEqualTo("1");
            assertThat(rows.rows().get(0).get(1)).startsWith("286");   // 300 MB as DuckDB prints it, in MiB
        }
    }

    @Test
    void aDatabaseIsTakenOnceAndOneNobodyTookIsClosed()
            throws Exception
    {
        DuckDbOpening taken = DuckDbOpening.begin();
        taken.take().close();
        assertThatThrownBy(taken::take).isInstanceOf(IllegalStateException.class);
        taken.close();

        DuckDbOpening unused = DuckDbOpening.begin();
        unused.close();
        assertThatThrownBy(unused::take).isInstanceOf(IllegalStateException.class);
        // closed by the thread that opened it, once it has (the close waits for the open)
        DuckDBConnection database = unused.database().get(30, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!database.isClosed() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(database.isClosed()).isTrue();
    }

    @Test
    void anOpeningThatFailedFailsTheEngineWithDuckDbsMessage()
            throws SQLException
    {
        try (DuckDbOpening opening = DuckDbOpening.begin()) {
            // stands in for a database that could not be opened: the engine says so as when it opens one itself
            opening.database().obtrudeException(new SQLException("IO Error: cannot open"));
            assertThatThrownBy(() -> new DuckDbEngine(new DuckDbSettings(1, 256, temporary.resolve("spill")), Optional.of(opening)))
                    .hasMessage("cannot start DuckDB: IO Error: cannot open");
        }
    }

    private static RenderedScript script(String sql)
    {
        return new RenderedScript("A9__script", "sql/A9__script.sql", "duckdb", sql, List.of(sql));
    }
}
