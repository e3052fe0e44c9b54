package org.eventetl.engine.athena;

import java.io.IOException;
import java.net.SocketException;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.athena.model.InternalServerException;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.TooManyRequestsException;

import static org.assertj.core.api.Assertions.assertThat;

/** How the engine reads its own statements, and which failed calls it makes again. */
final class TestAthenaStatements
{
    @Test
    void tellsStatementsByTheirFirstWordsAfterComments()
    {
        assertThat(StatementKind.of("-- a table\nCREATE EXTERNAL TABLE `etl`.raw_lines (line string) LOCATION 's3://raw/'")).isEqualTo(StatementKind.EXTERNAL_TABLE);
        assertThat(StatementKind.of("DROP TABLE IF EXISTS `etl`.`staged__dau__20261130_101010_0a1b2c3d`")).isEqualTo(StatementKind.DROP_TABLE);
        assertThat(StatementKind.of("CREATE TABLE \"etl\".\"staged__dau__x\"\nWITH (format = 'PARQUET')\nAS\nSELECT 1")).isEqualTo(StatementKind.CREATE_TABLE_AS);
        assertThat(StatementKind.of("create table etl.t as select 1")).isEqualTo(StatementKind.CREATE_TABLE_AS);
        // a CREATE TABLE with columns and no AS writes nothing
        assertThat(StatementKind.of("CREATE TABLE etl.t (a varchar) WITH (format = 'PARQUET')")).isEqualTo(StatementKind.OTHER);
        assertThat(StatementKind.of("UNLOAD (SELECT 1) TO 's3://x/' WITH (format = 'JSON')")).isEqualTo(StatementKind.UNLOAD);
        assertThat(StatementKind.of("WITH a AS (SELECT 1) SELECT * FROM a")).isEqualTo(StatementKind.QUERY);
        assertThat(StatementKind.of("INSERT INTO etl.t SELECT 1")).isEqualTo(StatementKind.INSERT);
        assertThat(StatementKind.CREATE_TABLE_AS.writes()).isTrue();
        assertThat(StatementKind.EXTERNAL_TABLE.writes()).isFalse();
    }

    @Test
    void findsTheTableACtasMakesAsWritten()
    {
        assertThat(StatementKind.createdTable("CREATE TABLE \"etl\".\"staged__events__x\"\nWITH (format = 'PARQUET', bucket_count = 1)\nAS\nSELECT 1"))
                .contains("\"etl\".\"staged__events__x\"");
        assertThat(StatementKind.createdTable("CREATE TABLE etl.t AS SELECT 1")).contains("etl.t");
        assertThat(StatementKind.createdTable("SELECT 1")).isEmpty();
    }

    @Test
    void readsTheNameAndLocationOfAnExternalTable()
    {
        assertThat(ExternalTable.of("CREATE EXTERNAL TABLE `etl_prod`.Raw_Lines (line string)\nPARTITIONED BY (day string)\nSTORED AS TEXTFILE\n"
                + "LOCATION 's3://raw/events/'\nTBLPROPERTIES ('storage.location.template' = 's3://raw/events/${day}/')"))
                .contains(new ExternalTable("raw_lines", "s3://raw/events/"));
        assertThat(ExternalTable.of("CREATE EXTERNAL TABLE IF NOT EXISTS dau (country string) LOCATION 's3://out/dau/'"))
                .contains(new ExternalTable("dau", "s3://out/dau/"));
        assertThat(ExternalTable.of("CREATE EXTERNAL TABLE dau (country string) STORED AS PARQUET")).isEqualTo(Optional.empty());
    }

    @Test
    void retriesThrottlingAndLostConnectionsButNotARefusal()
    {
        assertThat(AthenaCalls.classify(TooManyRequestsException.builder().message("slow down").build())).isEqualTo(AthenaCalls.Failure.THROTTLED);
        assertThat(AthenaCalls.classify(InternalServerException.builder().message("oops").build())).isEqualTo(AthenaCalls.Failure.THROTTLED);
        assertThat(AthenaCalls.classify(InvalidRequestException.builder().message("bad")
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ThrottlingException").build()).build())).isEqualTo(AthenaCalls.Failure.THROTTLED);
        assertThat(AthenaCalls.classify(InvalidRequestException.builder().message("Idempotent parameters do not match").build())).isEqualTo(AthenaCalls.Failure.FINAL);
        assertThat(AthenaCalls.classify(SdkClientException.create("Unable to execute HTTP request", new SocketException("Connection reset"))))
                .isEqualTo(AthenaCalls.Failure.NETWORK);
        assertThat(AthenaCalls.classify(SdkClientException.create("Unable to execute HTTP request", new RuntimeException(new IOException("Unexpected end of file")))))
                .isEqualTo(AthenaCalls.Failure.NETWORK);
        assertThat(AthenaCalls.classify(ApiCallAttemptTimeoutException.create(20_000))).isEqualTo(AthenaCalls.Failure.NETWORK);
        // no credentials: no attempt will find them
        assertThat(AthenaCalls.classify(SdkClientException.create("Unable to load credentials from any of the providers"))).isEqualTo(AthenaCalls.Failure.FINAL);
    }
}
