package org.eventetl.lint;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules a finding names: each with its own id, and a description that fits a line. */
final class TestLintRules
{
    @Test
    void everyRuleHasItsOwnIdAndOneLineOfDescription()
    {
        Map<String, String> rules = Linter.rules();

        assertThat(rules).hasSameSizeAs(Linter.RULES);
        assertThat(rules.keySet()).allSatisfy(id -> assertThat(id).matches("[a-z]+(-[a-z]+)+"));
        assertThat(rules.values()).allSatisfy(description -> assertThat(description).isNotBlank().doesNotContain("\n"));
        assertThat(rules.keySet()).contains("write-outside-target", "athena-writes-own-target", "table-location", "engine-accepts", "audit-is-a-query");
    }

    @Test
    void printsTheRuleAndThePlaceOfAFinding()
    {
        Finding finding = new Finding("sql/V2__event_details.sql", 12, 5, "duckdb", "write-outside-target", "COPY … TO writes to /elsewhere/");

        assertThat(finding).hasToString("sql/V2__event_details.sql:12:5: [write-outside-target] duckdb: COPY … TO writes to /elsewhere/");
    }
}
