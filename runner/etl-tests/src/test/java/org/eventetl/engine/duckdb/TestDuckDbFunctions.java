package org.eventetl.engine.duckdb;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.eventetl.model.EngineKind;
import org.eventetl.config.Settings;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.testing.Loads;
import org.eventetl.render.RenderContext;
import org.eventetl.render.RenderedStep;
import org.eventetl.storage.Location;
import org.eventetl.testing.EventOracle;

import static org.assertj.core.api.Assertions.assertThat;

/** The DuckDB macros of V1, as rendered from {@code sql/}, run in DuckDB against Java's definitions. */
final class TestDuckDbFunctions
{
    private static final Path HOME = Path.of(System.getProperty("etl.home"));

    @Test
    void trimWhiteSpaceDropsWhatTrinosTrimDrops()
            throws Exception
    {
        // every white space code point Trino's trim knows (Java's Character.isWhitespace), and some
        // characters it keeps: the no-break spaces, a zero-width space, letters on both sides of 5760,
        // a combining mark, and U+0600, after which a space is in the same grapheme cluster
        List<String> edges = new ArrayList<>();
        IntStream.rangeClosed(0, 0x3000).filter(Character::isWhitespace).forEach(point -> edges.add(Character.toString(point)));
        edges.addAll(List.of("\u00a0", "\u2007", "\u202f", "\u200b", "!", "~", "\u1680", "\u167f", "\u4e2d", "\ud83c\udf0d", "\u0301", "\u0600"));
        List<String> values = new ArrayList<>(List.of("", " ", "gh", " za ", "g h"));
        for (String left : edges) {
            for (String right : List.of("", " ", "\t", "\u3000", "\u00a0")) {
                values.add(left + "gh" + right);
                values.add(right + "Za" + left);
                values.add(left + right);
            }
        }

        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            for (String sql : functions().statements()) {
                statement.execute(sql);
            }
            PreparedStatement trim = connection.prepareStatement("SELECT trim_white_space(?)");
            for (String value : values) {
                trim.setString(1, value);
                try (ResultSet result = trim.executeQuery()) {
                    result.next();
                    assertThat(result.getString(1)).as("trim_white_space of %s", codePoints(value)).isEqualTo(EventOracle.trimWhiteSpace(value));
                }
            }
            try (ResultSet result = statement.executeQuery("SELECT trim_white_space(NULL) IS NULL")) {
                result.next();
                assertThat(result.getBoolean(1)).isTrue();
            }
        }
    }

    private static RenderedStep functions()
    {
        return Loads.pipeline().scripts().steps().stream().findFirst()
                .map(first -> Loads.planRenderer().render(new RenderContext(new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9)), EngineKind.DUCKDB,
                        Location.local(Path.of("/data/raw")), List.of(), Location.local(Path.of("/data/out")), new RunId("20170809_000000_00000000"),
                        Settings.defaultSettings(), Map.of("max_reject_ratio", 0.01, "min_volume_ratio", 0.5, "recent_days", List.of(), "any_recent_day", false,
                                "published_rows", Map.of("event_details", 0L)))).steps().get(0))
                .orElseThrow();
    }

    private static String codePoints(String value)
    {
        return value.codePoints().mapToObj(point -> String.format("U+%04X", point)).toList().toString();
    }
}
