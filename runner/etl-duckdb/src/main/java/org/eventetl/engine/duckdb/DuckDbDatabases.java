package org.eventetl.engine.duckdb;

import java.sql.SQLException;
import java.util.Properties;

import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/**
 * Opens a new in-memory DuckDB database. Through DuckDB's driver directly, not DriverManager: the
 * first DriverManager call loads and initializes every JDBC driver on the class path, Trino's
 * among them, which cost about 90 ms of every command's start (318 against 225 ms to open a
 * database, three runs each; docs/performance.md).
 */
public final class DuckDbDatabases
{
    private static final String IN_MEMORY = "jdbc:duckdb:";

    private DuckDbDatabases() {}

    public static DuckDBConnection openInMemory()
            throws SQLException
    {
        return new DuckDBDriver().connect(IN_MEMORY, new Properties()).unwrap(DuckDBConnection.class);
    }
}
