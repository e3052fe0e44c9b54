package org.eventetl.engine.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A step's failure is one line that names DuckDB's cause, not a header that several causes share. */
final class TestDuckDbMessages
{
    @TempDir
    Path temporary;

    @Test
    void testCsvErrorsNameTheirCause()
            throws IOException
    {
        Path file = Files.write(temporary.resolve("bad.json"), new byte[] {'{', '}', '\n', 'x', (byte) 0xFF, '\n'});

        String message = duckDbError("SELECT count(*) FROM read_csv('" + file + "', columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '',"
                + " header = false, auto_detect = false)");

        assertThat(message.lines().count()).as(message).isGreaterThan(1);
        String cause = DuckDbEngine.cause(message, temporary);
        assertThat(cause).doesNotContain("\n").contains("CSV Error on Line: 2").containsIgnoringCase("unicode");
    }

    @Test
    void testOtherMessagesKeepTheirFirstLine()
    {
        String message = duckDbError("SELECT * FROM read_parquet('" + temporary.resolve("missing.parquet") + "')");

        assertThat(DuckDbEngine.cause(message, temporary)).isEqualTo(message.strip().lines().findFirst().orElseThrow()).contains("missing.parquet");
        assertThat(DuckDbEngine.cause(null, temporary)).isEqualTo("DuckDB failed without a message");
    }

    /**
     * A spill folder that cannot take more (a full disk; here DuckDB's own cap on it, which fails the
     * same way) is said by DuckDB as "Out of Memory": the line names the folder, for more memory is not the fix.
     */
    @Test
    void testAFullSpillFolderIsNamed()
    {
        Path spill = temporary.resolve("spill");
        String message = duckDbError("SET threads = 1", "SET memory_limit = '64MB'", "SET temp_directory = '" + spill + "'", "SET max_temp_directory_size = '1MB'",
                "CREATE TABLE sorted AS SELECT i, md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(3000000) AS r(i) ORDER BY s");

        String cause = DuckDbEngine.cause(message, spill);
        assertThat(cause).doesNotContain("\n").contains("failed to offload data block")
                .contains("DuckDB spills what does not fit in memory to " + spill + ", and could not write there").contains("-Djava.io.tmpdir=");
    }

    private static String duckDbError(String... sql)
    {
        SQLException error = catchThrowableOfType(SQLException.class, () -> {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            }
        });
        assertThat((Throwable) error).as("DuckDB refuses " + String.join("; ", sql)).isNotNull();
        return error.getMessage();
    }
}
