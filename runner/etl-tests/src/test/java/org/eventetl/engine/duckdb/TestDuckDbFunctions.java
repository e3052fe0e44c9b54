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
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import org.eventetl.model.EngineKind;
import org.eventetl.partition.Partition;
import org.eventetl.plan.StepResolver;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.SqlRenderer;
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
        // characters it keeps: the no-break spaces, a zero-width space, letters on both sides of 5760
        List<String> edges = new ArrayList<>();
        IntStream.rangeClosed(0, 0x3000).filter(Character::isWhitespace).forEach(point -> edges.add(Character.toString(point)));
        edges.addAll(List.of("\u00a0", "\u2007", "\u202f", "\u200b", "!", "~", "\u1680", "\u167f", "\u4e2d", "\ud83c\udf0d"));
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
        PlanRenderer plan = new PlanRenderer(new StepResolver(HOME.resolve("sql")).resolve(), new SqlRenderer(HOME.resolve("templates")));
        return plan.render(new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9)), EngineKind.DUCKDB, List.of(),
                Location.local(Path.of("/data/out"))).get(0);
    }

    private static String codePoints(String value)
    {
        return value.codePoints().mapToObj(point -> String.format("U+%04X", point)).toList().toString();
    }
}
