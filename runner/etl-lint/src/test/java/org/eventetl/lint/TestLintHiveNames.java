package org.eventetl.lint;

import java.nio.file.Path;
import java.util.List;

import org.eventetl.storage.Location;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Athena's Hive DDL names, read with Trino's grammar. */
final class TestLintHiveNames
{
    @Test
    void quotesBackquotedNamesAsTrinoDoes()
    {
        assertThat(HiveNames.doubleQuoted("DROP TABLE IF EXISTS `etl`.`staged__dau__run`")).isEqualTo("DROP TABLE IF EXISTS \"etl\".\"staged__dau__run\"");
        assertThat(HiveNames.doubleQuoted("DROP TABLE `a``b`.`c\"d`")).isEqualTo("DROP TABLE \"a`b\".\"c\"\"d\"");
        // neither a string nor a comment holds a name
        assertThat(HiveNames.doubleQuoted("DROP TABLE t -- `x`\n")).isEqualTo("DROP TABLE t -- `x`\n");
        assertThat(HiveNames.doubleQuoted("SELECT '`x`'")).isEqualTo("SELECT '`x`'");
    }

    @Test
    void readsOnlyDropTableAsHiveDdl()
    {
        assertThat(HiveNames.isHiveDdl("-- a comment\ndrop table `etl`.t")).isTrue();
        assertThat(HiveNames.isHiveDdl("DROP VIEW `etl`.v")).isFalse();
        assertThat(HiveNames.isHiveDdl("SELECT `x` FROM t")).isFalse();
    }

    @Test
    void athenaAcceptsHivesDropTableAndStillParsesIt()
    {
        AthenaLint lint = new AthenaLint();

        WriteTargets writeTargets = new WriteTargets(Location.local(Path.of("/lint/output")), LintFixture.RUN, LintFixture.PARTITION, List.of("dau"));

        StepCheck check = lint.check(List.of("DROP TABLE IF EXISTS `etl`.`staged__dau__run`", "DROP TABLE IF EXIST `etl`.`t`", "SELECT `x` FROM t"), writeTargets);

        // the second is no DROP TABLE Trino's grammar knows; a query's backquoted name is Athena's error too
        assertThat(check.problems()).extracting(StepCheck.Problem::statement).containsExactly(1, 2);
        assertThat(check.problems().get(0).message()).startsWith("Trino's parser rejects the statement: mismatched input 'EXIST'");
        assertThat(check.problems().get(1).message()).contains("backquoted identifiers are not supported");
    }
}
