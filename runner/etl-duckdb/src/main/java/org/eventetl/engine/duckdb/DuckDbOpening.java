package org.eventetl.engine.duckdb;

import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.duckdb.DuckDBConnection;

/**
 * An in-memory DuckDB database opened on a thread of its own while a command does the rest of its
 * start (reading the flags and the history, listing the source, rendering the steps): loading
 * DuckDB's library and starting a database took about 0.2 s of every load's start, one core
 * waiting while the other was idle (docs/performance.md). The engine takes the database once it
 * needs it; a command that ends before then closes it.
 */
public final class DuckDbOpening
        implements AutoCloseable
{
    private final CompletableFuture<DuckDBConnection> database;
    private boolean taken;

    private DuckDbOpening()
    {
        this.database = new CompletableFuture<>();
        Thread opener = new Thread(() -> {
            try {
                database.complete(DuckDbDatabases.openInMemory());
            }
            catch (SQLException | RuntimeException | LinkageError e) {
                // the engine reports it when it takes the database, as if it had opened it itself
                database.completeExceptionally(e);
            }
        }, "duckdb-opening");
        opener.setDaemon(true);
        opener.start();
    }

    public static DuckDbOpening begin()
    {
        return new DuckDbOpening();
    }

    /** The database, once open; each opening gives it once. */
    synchronized DuckDBConnection take()
            throws SQLException
    {
        if (taken) {
            throw new IllegalStateException("the database was taken already");
        }
        taken = true;
        try {
            return database.join();
        }
        catch (CompletionException e) {
            if (e.getCause() instanceof SQLException failure) {
                throw failure;
            }
            throw new SQLException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
    }

    /** Closes the database unless the engine took it (then the engine closes it). */
    @Override
    public synchronized void close()
    {
        if (!taken) {
            taken = true;
            database.thenAccept(DuckDbOpening::closeQuietly);
        }
    }

    /** The database as it is opened: for tests, which check that one nobody took is closed. */
    CompletableFuture<DuckDBConnection> database()
    {
        return database;
    }

    private static void closeQuietly(DuckDBConnection connection)
    {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // an in-memory database nobody used: nothing to lose
        }
    }
}
