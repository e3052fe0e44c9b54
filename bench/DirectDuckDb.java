import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Runs the SQL files of a folder (V1__x.sql, V2__y.sql, … in version order), statement by statement,
 * straight through DuckDB's JDBC driver with the given threads and memory limit, and nothing else (no
 * planning, clearing, history or profiling): `make bench` runs the three straightforward statements
 * of bench/straight/ with it. Prints one line per file with its seconds, and the total.
 *
 * javac -d CLASSES bench/DirectDuckDb.java; java -cp 'CLASSES:runner/etl-cli/target/duckdb/classes:runner/etl-cli/target/lib/*' DirectDuckDb SQL_DIR THREADS MEMORY_MB
 */
public final class DirectDuckDb
{
    public static void main(String[] args)
            throws Exception
    {
        Path folder = Path.of(args[0]);
        List<Path> steps;
        try (Stream<Path> files = Files.list(folder)) {
            steps = new ArrayList<>(files.filter(file -> file.toString().endsWith(".sql")).toList());
        }
        steps.sort((left, right) -> Integer.compare(version(left), version(right)));
        long started = System.nanoTime();
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
                Statement statement = connection.createStatement()) {
            statement.execute("SET threads = " + args[1]);
            statement.execute("SET memory_limit = '" + args[2] + "MB'");
            for (Path step : steps) {
                long stepStarted = System.nanoTime();
                for (String sql : split(Files.readString(step))) {
                    statement.execute(sql);
                }
                System.out.printf("%s %.2f%n", step.getFileName().toString().replace(".sql", ""), (System.nanoTime() - stepStarted) / 1e9);
            }
        }
        System.out.printf("total %.2f%n", (System.nanoTime() - started) / 1e9);
    }

    private static int version(Path step)
    {
        String name = step.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    /** The rendered steps end each statement with ';' at a line end; comment lines are dropped. */
    private static List<String> split(String sql)
    {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (line.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (line.stripTrailing().endsWith(";")) {
                statements.add(current.toString());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString());
        }
        return statements;
    }
}
