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
        String cause = DuckDbEngine.cause(message);
        assertThat(cause).doesNotContain("\n").contains("CSV Error on Line: 2").containsIgnoringCase("unicode");
    }

    @Test
    void testOtherMessagesKeepTheirFirstLine()
    {
        String message = duckDbError("SELECT * FROM read_parquet('" + temporary.resolve("missing.parquet") + "')");

        assertThat(DuckDbEngine.cause(message)).isEqualTo(message.strip().lines().findFirst().orElseThrow()).contains("missing.parquet");
        assertThat(DuckDbEngine.cause(null)).isEqualTo("DuckDB failed without a message");
    }

    private static String duckDbError(String sql)
    {
        SQLException error = catchThrowableOfType(SQLException.class, () -> {
            try (Connection connection = DriverManager.getConnection("jdbc:duckdb:"); Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        });
        assertThat((Throwable) error).as("DuckDB refuses " + sql).isNotNull();
        return error.getMessage();
    }
}
