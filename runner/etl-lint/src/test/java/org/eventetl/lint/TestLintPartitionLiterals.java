package org.eventetl.lint;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule 3 on template text: what counts as a partition value written literally, and what does not. */
final class TestLintPartitionLiterals
{
    @ParameterizedTest
    @ValueSource(strings = {
            "WHERE loaded = '2017'",
            "WHERE day = '2017-08-09'",
            "FROM read_json('/data/olx/hydra/android/2017/08/09/*.json')",
            "WHERE year(event_date) = 2017",
            "WHERE month = '08'",
            "FROM read_parquet('{{output}}/events/brand=olx/tracker={{tracker}}/*.parquet')",
            "FROM read_parquet('{{output}}/events/year=2017/*.parquet')",
            "WHERE path LIKE '%day=09%'",
            "WHERE day = E'1999'",
            "WHERE brand = 'olx'",
            "WHERE x > 0 AND tracker <> 'hydra'",
            "WHERE channel IN ('android', 'ios')",
            "WHERE 'olx' = brand",
            "WHERE \"brand\" = 'olx'",
            "WHERE 'olx' <> e.\"brand\"",
            "WHERE month = 8",
            "WHERE e.day != 9",
    })
    void findsLiteralPartitionValues(String sql)
    {
        assertThat(literals("{{#duckdb}}\n" + sql + ";\n{{/duckdb}}\n")).singleElement().satisfies(literal -> assertThat(literal.line()).isEqualTo(2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "-- loads 2017-08-09 like any other day, brand=olx too",
            "SELECT 1 /* not '2017' */",
            "WHERE day = '{{day}}' AND month = '{{month}}' AND year = {{year}}",
            "FROM read_parquet('{{output}}/events/brand={{brand}}/year={{year}}/*.parquet')",
            "WHERE ascii(line) NOT IN (0, 9, 13, 32) AND trim(line, E' \\t\\r') <> ''",
            "SELECT \"2017\" FROM t",
            "SELECT 2017.5, 0.2017, x2017, 12017, 3000, 1899 FROM t",
            "WHERE value::VARCHAR[2:-2] = '123'",
            "SELECT list(x)[1:12] FROM t",
            "WHERE brand = '{{brand}}' AND channel IN ('{{channel}}')",
            "WHERE device_channel = 'web' AND brand_name = 'olx'",
            "WHERE '{{brand}}' = brand AND {{month}} = month",
            "WHERE brand = other_brand AND 'brand' = name",
    })
    void ignoresCommentsTagsAndOtherNumbers(String sql)
    {
        assertThat(literals("{{#duckdb}}\n" + sql + ";\n{{/duckdb}}\n")).isEmpty();
    }

    @Test
    void aLineThatSaysItHoldsNoPartitionValueIsNotReported()
    {
        assertThat(literals("{{#duckdb}}\nSELECT * FROM t LIMIT 2000 -- lint: not a partition value\n;\n{{/duckdb}}\n")).isEmpty();
        assertThat(literals("{{#duckdb}}\nSELECT * FROM t LIMIT 2000\n;\n{{/duckdb}}\n")).singleElement()
                .satisfies(literal -> assertThat(literal.line()).isEqualTo(2));
        // the comment covers its own line, not the next one
        assertThat(literals("{{#duckdb}}\n-- lint: not a partition value\nSELECT * FROM t LIMIT 2000\n;\n{{/duckdb}}\n")).singleElement()
                .satisfies(literal -> assertThat(literal.line()).isEqualTo(3));
    }

    @Test
    void ignoresMustacheCommentsAndTagsSpanningLines()
    {
        assertThat(literals("{{! written for 2017-08-09,\n    brand=olx }}\nSELECT 1;\n")).isEmpty();
    }

    @Test
    void findsEveryLiteralWithItsLineAndAdvice()
    {
        List<Found> found = literals(String.join("\n",
                "-- header 2017",
                "{{#duckdb}}",
                "SELECT '08' AS month,",
                "       '2017-08-09' AS day",
                "FROM t WHERE brand=olx AND y = 2017;",
                "{{/duckdb}}"));

        assertThat(found).containsExactly(
                new Found(3, "'08' looks like a month or day written literally; use {{month}} or {{day}}"),
                new Found(4, "date written literally in '2017-08-09'; use {{date}} (or {{year}}, {{month}}, {{day}})"),
                new Found(5, "partition value written literally: brand=olx; use brand={{brand}} (or {{partition_path}}, {{target}}, {{staged.<dataset>}})"),
                new Found(5, "year 2017 written literally; use {{year}}"));
    }

    @Test
    void showsTheNeighbourhoodOfALiteralInALongString()
    {
        List<Found> found = literals("SELECT * FROM read_json('{{output}}/a/rather/long/path/that/goes/on/and/on/to/reach/2017/and/beyond/it/too.json');\n");

        assertThat(found).singleElement().satisfies(literal -> assertThat(literal.message())
                .startsWith("year written literally in …")
                .contains("/2017/")
                .endsWith("; use {{year}}"));
    }

    @Test
    void stringsSpanningLinesAreReportedWhereTheyStart()
    {
        assertThat(literals("SELECT 'first line\nsecond 2017 line' AS x;\n")).containsExactly(
                new Found(1, "year written literally in 'first line second 2017 line'; use {{year}}"));
    }

    private static List<Found> literals(String template)
    {
        TemplateText text = new TemplateText("sql/V9__test.sql", template);
        return PartitionLiterals.find(text.masked()).stream()
                .map(literal -> new Found(text.lineOf(literal.offset()), literal.message()))
                .toList();
    }

    private record Found(int line, String message) {}
}
