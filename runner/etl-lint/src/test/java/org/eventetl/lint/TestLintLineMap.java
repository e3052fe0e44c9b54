package org.eventetl.lint;

import java.util.Map;
import java.util.Set;

import org.eventetl.model.EngineKind;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracing rendered SQL back to template lines, and reading a template's sections and partials. */
final class TestLintLineMap
{
    private static final String TEMPLATE = String.join("\n",
            "-- a header",
            "{{#duckdb}}",
            "SELECT {{> columns}}",
            "FROM {{table}}",
            "{{/duckdb}}",
            "{{#other}}",
            "SELECT 2",
            "{{/other}}",
            "");

    @Test
    void marksEveryLine()
    {
        TemplateText text = new TemplateText("sql/V9__test.sql", TEMPLATE);

        assertThat(text.marked()).startsWith("\u00011\u0002-- a header\n\u00012\u0002{{#duckdb}}\n\u00013\u0002SELECT");
        assertThat(text.lineCount()).isEqualTo(9);
    }

    @Test
    void mapsValuesAndPartialsToTheLineOfTheirTag()
    {
        // as Mustache renders the template and its marked copy: a two-line partial, a standalone tag line dropped
        String rendered = "-- a header\nSELECT a,\n       b\nFROM events\n";
        String marked = mark(1) + "-- a header\n" + mark(2) + "\n" + mark(3) + "SELECT a,\n       b\n" + mark(4) + "FROM events\n" + mark(5) + "\n" + mark(6) + "\n" + mark(9);

        LineMap lines = LineMap.align(rendered, marked).orElseThrow();

        assertThat(lines.line(rendered.indexOf("-- a"))).isEqualTo(1);
        assertThat(lines.line(rendered.indexOf("SELECT"))).isEqualTo(3);
        assertThat(lines.line(rendered.indexOf("b\n"))).isEqualTo(3);
        // a line's indentation belongs to that line
        assertThat(lines.line(rendered.indexOf("       b"))).isEqualTo(3);
        assertThat(lines.line(rendered.indexOf("FROM"))).isEqualTo(4);
        assertThat(lines.line(rendered.indexOf("events"))).isEqualTo(4);
        assertThat(lines.line(rendered.length() - 1)).isEqualTo(4);
        assertThat(lines.renderedLines()).isEqualTo(Set.of(1, 2, 3, 4, 5, 6, 9));
    }

    @Test
    void mapsCharactersToTheColumnsTheyComeFrom()
    {
        TemplateText text = new TemplateText("sql/V9__test.sql", "SELECT {{columns}} FROM {{> table}}\n  WHERE {{#duckdb}}x{{/duckdb}} = 1\n");
        // as Mustache renders it: a value of two words, a partial, a section with its content
        String rendered = render(text.text());
        String marked = render(text.marked());

        LineMap lines = LineMap.align(rendered, marked).orElseThrow();

        assertThat(rendered).isEqualTo("SELECT a, b FROM events\n  WHERE x = 1\n");
        // what a tag rendered is at the tag's column, the template's own text where it is written
        assertThat(lines.column(rendered.indexOf("a,"))).isEqualTo(8);
        assertThat(lines.column(rendered.indexOf("b "))).isEqualTo(8);
        assertThat(lines.column(rendered.indexOf("FROM"))).isEqualTo(20);
        assertThat(lines.column(rendered.indexOf("events"))).isEqualTo(25);
        assertThat(lines.line(rendered.indexOf("x ="))).isEqualTo(2);
        assertThat(lines.column(rendered.indexOf("x ="))).isEqualTo(20);
        assertThat(lines.column(rendered.indexOf("= 1"))).isEqualTo(33);
        // a line's indentation points at its first word
        assertThat(lines.column(rendered.indexOf("  WHERE"))).isEqualTo(3);
        assertThat(text.columnOf(text.text().indexOf("FROM"))).isEqualTo(20);
    }

    @Test
    void alignsNothingWhenTheRenderingsDifferBeyondWhiteSpace()
    {
        String rendered = "SELECT a\nFROM events\n";

        assertThat(LineMap.align(rendered, mark(1) + "SELECT b\n" + mark(2) + "FROM events\n")).isEmpty();
        assertThat(LineMap.align(rendered, mark(1) + "SELECT a\n" + mark(2) + "FROM events, more\n")).isEmpty();

        LineMap fallback = LineMap.uniform(rendered, 7);
        assertThat(fallback.line(0)).isEqualTo(7);
        assertThat(fallback.line(rendered.indexOf("FROM"))).isEqualTo(7);
        assertThat(fallback.renderedLines()).isEmpty();
    }

    @Test
    void findsSectionsAndPartials()
    {
        TemplateText text = new TemplateText("sql/V9__test.sql", TEMPLATE);

        assertThat(text.sectionLine("duckdb")).hasValue(2);
        assertThat(text.sectionLine("other")).hasValue(6);
        assertThat(text.sectionLine("athena")).isEmpty();
        assertThat(text.partials()).containsExactly(new TemplateText.Include("columns", 3));
        assertThat(text.partialLine("columns.mustache")).hasValue(3);
        assertThat(text.partialLine("rows")).isEmpty();
    }

    @Test
    void judgesFromTheTagsWhichLinesAnEngineSees()
    {
        TemplateText text = new TemplateText("sql/V9__test.sql", TEMPLATE + "{{^duckdb}}\nSELECT 3\n{{/duckdb}}\n");

        // a tag's own line counts as outside an opening tag and inside a closing one
        assertThat(text.linesShownTo(Map.of("duckdb", true, "other", false))).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 9, 12);
        assertThat(text.linesShownTo(Map.of("duckdb", false, "other", true))).containsExactlyInAnyOrder(1, 2, 6, 7, 8, 9, 10, 11, 12);
    }

    @Test
    void hidesADialectsSectionFromTheEnginesOfAnother()
    {
        TemplateText text = new TemplateText("sql/A9__test.sql", "-- a header\n{{#duckdb}}\nSELECT 1\n{{/duckdb}}\n{{#trino_sql}}\nSELECT 2\n{{/trino_sql}}\n");

        assertThat(text.linesShownTo(LintedStep.sections(EngineKind.DUCKDB))).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 8);
        // Athena renders Trino's dialect, and not DuckDB's section
        assertThat(text.linesShownTo(LintedStep.sections(EngineKind.ATHENA))).containsExactlyInAnyOrder(1, 2, 5, 6, 7, 8);
    }

    @Test
    void blanksOutTagsAndKeepsLines()
    {
        TemplateText text = new TemplateText("sql/V9__test.sql", "SELECT '{{a}}' {{! a\ncomment }}x\n");

        assertThat(text.masked()).isEqualTo("SELECT '\0\0\0\0\0' \0\0\0\0\0\n\0\0\0\0\0\0\0\0\0\0x\n");
        assertThat(text.lineOf(text.masked().indexOf('x'))).isEqualTo(2);
    }

    /** The few tags of the column test, rendered as Mustache would for duckdb. */
    private static String render(String template)
    {
        return template.replace("{{columns}}", "a, b").replace("{{> table}}", "events").replace("{{#duckdb}}", "").replace("{{/duckdb}}", "");
    }

    private static String mark(int line)
    {
        return TemplateText.MARK_START + String.valueOf(line) + TemplateText.MARK_END;
    }
}
