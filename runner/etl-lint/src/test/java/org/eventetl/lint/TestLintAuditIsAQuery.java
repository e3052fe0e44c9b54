package org.eventetl.lint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.eventetl.model.EngineKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** What an audit may be: statements that write nothing, the last one a query. */
final class TestLintAuditIsAQuery
{
    @TempDir
    Path temporary;

    @Test
    void readsWhatAStatementDoesFromItsFirstWordOrWhatItsCtesAreFor()
    {
        assertThat(AuditIsAQueryRule.verb("-- a comment\nselect 1")).map(SqlToken::text).hasValue("select");
        assertThat(AuditIsAQueryRule.verb("WITH a AS (SELECT 1), b (x) AS (INSERT INTO t VALUES (1)) SELECT * FROM a")).map(SqlToken::text).hasValue("SELECT");
        assertThat(AuditIsAQueryRule.verb("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a")).map(SqlToken::text).hasValue("INSERT");
        assertThat(AuditIsAQueryRule.verb("WITH a AS (SELECT 1) (SELECT 2)")).map(SqlToken::text).hasValue("WITH");
        assertThat(AuditIsAQueryRule.verb("-- only a comment")).isEmpty();
    }

    @Test
    void reportsEveryWriteAndALastStatementThatIsNoQuery()
            throws IOException
    {
        List<String> statements = List.of(
                "SET threads = 1",
                "COPY (SELECT 1) TO '/tmp/x.parquet'",
                "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a",
                "SELECT 1",
                "SET threads = 2");

        List<Finding> findings = findings(statements, new StepCheck(List.of(), true));

        // one statement a line, so a finding's line is its statement's, plus one
        assertThat(findings).extracting(Finding::line, Finding::column, Finding::rule).containsExactly(
                tuple(2, 1, "audit-is-a-query"),
                tuple(3, 22, "audit-is-a-query"),
                tuple(5, 1, "audit-is-a-query"));
        assertThat(findings.get(0).message()).startsWith("COPY in an audit: an audit writes nothing");
        assertThat(findings.get(1).message()).startsWith("INSERT in an audit");
        assertThat(findings.get(2).message()).startsWith("the audit's last statement is SET, not a query");
    }

    @Test
    void passesAQueryAfterStatementsThatWriteNothing()
            throws IOException
    {
        StepCheck accepted = new StepCheck(List.of(), true);

        assertThat(findings(List.of("SET threads = 1", "WITH a AS (SELECT 1) SELECT * FROM a"), accepted)).isEmpty();
        assertThat(findings(List.of("FROM read_parquet('x.parquet') WHERE false"), accepted)).isEmpty();
    }

    @Test
    void leavesAStatementTheEngineRefusedToEngineAccepts()
            throws IOException
    {
        List<String> statements = List.of("SELECT 1", "SELEC 2");

        // a misspelt SELECT is no query, but the engine says so better
        assertThat(findings(statements, new StepCheck(List.of(new StepCheck.Problem(1, 0, "Parser Error: syntax error at or near \"SELEC\"", false)), false))).isEmpty();
        assertThat(findings(statements, new StepCheck(List.of(), true))).singleElement()
                .satisfies(finding -> assertThat(finding.message()).startsWith("the audit's last statement is SELEC, not a query"));
    }

    @Test
    void appliesToAuditsOnly()
    {
        assertThat(new AuditIsAQueryRule().appliesTo()).containsExactly(LintedStep.Kind.AUDIT);
    }

    /** What the rule finds in an audit of these statements, rendered one a line, of which the engine said {@code check}. */
    private List<Finding> findings(List<String> statements, StepCheck check)
            throws IOException
    {
        LintFixture fixture = LintFixture.create(temporary);
        WriteTargets writeTargets = new WriteTargets(fixture.output(), LintFixture.RUN, fixture.partition(), List.of("dau"));
        TrinoLint lint = new TrinoLint();
        String sql = String.join(";\n", statements) + ";\n";
        TemplateText template = new TemplateText("sql/A9__audit.sql", sql);
        LintedStep.Context context = new LintedStep.Context(EngineKind.TRINO, lint, writeTargets, fixture, temporary);
        LintedStep step = LintedStep.rendered(context, LintedStep.Kind.AUDIT, template, new LintedStep.Rendered(sql, statements, Optional.empty()),
                LineMap.align(sql, template.marked()).orElseThrow(), check, new LintedStep.EarlierFailures(List.of(), List.of()));
        Findings findings = new Findings();
        new AuditIsAQueryRule().check(step, findings);
        return findings.list();
    }
}
