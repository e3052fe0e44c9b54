package org.eventetl.lint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eventetl.storage.PublishedPrefix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** DuckDB's part of lint: finding COPY targets, preparing without running, running only what is safe. */
final class TestLintDuckDb
{
    @TempDir
    Path temporary;

    private LintFixture fixture;
    private WriteTargets writeTargets;
    private DuckDbLint lint;
    private String target;

    @BeforeEach
    void start()
            throws IOException
    {
        fixture = LintFixture.create(temporary);
        writeTargets = new WriteTargets(fixture.output(), LintFixture.RUN, fixture.partition(), List.of("events"));
        target = new PublishedPrefix(fixture.output(), "events", fixture.partition()).staged(LintFixture.RUN).prefix();
        lint = new DuckDbLint(fixture);
    }

    @AfterEach
    void stop()
    {
        lint.close();
    }

    @Test
    void findsTheTargetOfCopyOutsideParenthesesStringsAndComments()
    {
        String statement = "/* COPY x TO 'no' */ COPY (SELECT 'TO' AS x, 1 AS \"to\" FROM t WHERE y IN (SELECT 1)) -- TO 'no'\n TO '/o/x.parquet' (FORMAT parquet)";

        assertThat(lint.writeTargets(statement)).containsExactly(new WriteTarget("COPY … TO", Optional.of("/o/x.parquet"), statement.indexOf("'/o/x.parquet'")));
        assertThat(lint.writeTargets("copy t to 'it''s.csv'")).containsExactly(new WriteTarget("COPY … TO", Optional.of("it's.csv"), 10));
        assertThat(lint.writeTargets("COPY t TO getvariable('path')")).containsExactly(new WriteTarget("COPY … TO", Optional.empty(), 7));
        assertThat(lint.writeTargets("COPY t FROM '/in.csv'")).isEmpty();
        assertThat(lint.writeTargets("SELECT 1 AS copy")).isEmpty();
        assertThat(lint.writeTargets("CREATE TABLE t AS SELECT * FROM read_parquet('/o/*.parquet')")).isEmpty();
    }

    @Test
    void runsOnlyWhatLaterStatementsNeedAndOnlyWritesWhereRuleFourAllows()
    {
        Path allowed = Path.of(target, "data.parquet");
        Path datasetRoot = fixture.output().toPath().resolve("events").resolve("data.parquet");

        StepCheck check = lint.check(List.of(
                "CREATE TEMP TABLE numbers AS SELECT range AS n FROM range(3)",
                "COPY (SELECT n FROM numbers) TO '" + allowed + "' (FORMAT parquet)",
                "COPY (SELECT n FROM numbers) TO '" + datasetRoot + "' (FORMAT parquet)",
                "SELECT sum(n) FROM read_parquet('" + allowed + "')",
                "INSTALL no_such_extension"), writeTargets);

        assertThat(check.problems()).isEmpty();
        assertThat(allowed).isRegularFile();
        assertThat(datasetRoot).doesNotExist();
        // the write it left out: later steps cannot read what this one writes
        assertThat(check.complete()).isFalse();
    }

    @Test
    void pointsAtTheLineDuckDbNamesCountedFromTheStatement()
    {
        String statement = "-- a comment that DuckDB would not count\n-- and another\nSELECT\n    1,\n    nocol\nFROM range(2)";

        StepCheck check = lint.check(List.of(statement, "CREATE TEMP TABLE after AS SELECT 1 AS a"), writeTargets);

        assertThat(check.complete()).isFalse();
        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.statement()).isZero();
            assertThat(problem.offset()).isEqualTo(statement.indexOf("    nocol"));
            assertThat(problem.message()).startsWith("DuckDB rejects the statement: Binder Error: Referenced column \"nocol\" not found");
            assertThat(problem.missingInput()).isFalse();
        });
        // the step stopped at its first failure, as a load would
        assertThat(lint.check(List.of("SELECT a FROM after"), writeTargets).problems()).singleElement()
                .satisfies(problem -> assertThat(problem.message()).startsWith("DuckDB rejects the statement: Catalog Error: Table with name after does not exist"));
    }

    @Test
    void tellsMissingInputFromOtherProblems()
    {
        StepCheck check = lint.check(List.of("SELECT 1", "SELECT * FROM read_parquet('" + target + "*.parquet')"), writeTargets);

        assertThat(check.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.statement()).isEqualTo(1);
            assertThat(problem.offset()).isZero();
            assertThat(problem.missingInput()).isTrue();
        });
    }

    @Test
    void reportsAStatementThatPlansButFailsOnTheFixture()
    {
        StepCheck check = lint.check(List.of("CREATE TEMP TABLE bad AS SELECT CAST('x' || range AS INTEGER) AS n FROM range(2)"), writeTargets);

        assertThat(check.complete()).isFalse();
        assertThat(check.problems()).singleElement().satisfies(problem -> assertThat(problem.message()).startsWith("fails on the lint fixture: Conversion Error"));
    }

    @Test
    void writesItsFixtureUnderTheWorkFolder()
            throws IOException
    {
        assertThat(fixture.sourceFiles()).hasSize(2).allSatisfy(file -> {
            assertThat(file.location().toPath()).startsWith(temporary);
            assertThat(Files.readString(file.location().toPath())).contains("lint-device").contains("not a JSON object");
        });
        // the second starts with a byte-order mark, which the line reader must drop
        assertThat(Files.readAllBytes(fixture.sourceFiles().get(1).location().toPath())).startsWith(0xEF, 0xBB, 0xBF);
        assertThat(fixture.output().toPath()).startsWith(temporary).isDirectory();
        assertThat(fixture.partition().hivePath()).isEqualTo("brand=lintbrand/tracker=linttracker/channel=lintchannel/year=2031/month=12/day=31");
    }
}
