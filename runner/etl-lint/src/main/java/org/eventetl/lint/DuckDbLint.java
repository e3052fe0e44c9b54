package org.eventetl.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eventetl.engine.duckdb.DuckDbDatabases;
import org.eventetl.model.StepFailedException;

import static java.util.Objects.requireNonNull;

/**
 * Lint for the embedded engine, on one in-memory DuckDB database per lint run.
 * <p>
 * Every statement is prepared, which parses, binds and plans it and runs nothing: a misspelt
 * keyword, an unknown column or function, a type that does not fit all show here, with DuckDB's
 * {@code LINE n} pointing into the statement. Then the statements later ones depend on are run,
 * on the fixture's few lines: the session settings, macros and temporary tables of the catalog,
 * and each {@code COPY … TO} whose target {@link WriteTargets} allows. Running them, rather than making empty
 * Parquet files for the steps that read another step's output, gives those steps files with
 * exactly the schema the earlier step writes, where hand-made fixtures would drift from the
 * templates; and since {@link WriteTargets} allows only partition prefixes under the fixture's output, lint
 * never writes outside its work folder. Statements of any other kind (INSTALL, ATTACH, EXPORT,
 * a plain SELECT…) are only prepared.
 */
final class DuckDbLint
        implements EngineLint
{
    private static final String COPY_TO = "COPY … TO";
    private static final Set<String> RUN = Set.of("SET", "RESET", "CREATE", "DROP", "ALTER", "INSERT", "UPDATE", "DELETE", "COPY");
    private static final Pattern ERROR_LINE = Pattern.compile("(?m)^LINE ([0-9]+):");
    private static final String MISSING_FILES = "No files found that match the pattern";

    private final Connection connection;

    DuckDbLint(LintFixture fixture)
    {
        requireNonNull(fixture, "fixture is null");
        try {
            this.connection = DuckDbDatabases.openInMemory();
            try (Statement statement = connection.createStatement()) {
                // a few lines of fixture need neither the machine's cores nor much memory
                statement.execute("SET threads = 1");
                statement.execute("SET memory_limit = '256MB'");
                statement.execute("SET temp_directory = '" + fixture.folder().resolve("duckdb-spill").toString().replace("'", "''") + "'");
            }
        }
        catch (SQLException e) {
            throw new StepFailedException("cannot start DuckDB for lint: " + e.getMessage(), e);
        }
    }

    @Override
    public List<WriteTarget> writeTargets(String statement)
    {
        SqlTokens tokens = SqlTokens.of(statement);
        if (!tokens.word(0, "COPY")) {
            return List.of();
        }
        // COPY (query) TO 'path' or COPY table TO 'path': the first TO outside parentheses; COPY … FROM reads
        int to = tokens.wordOutsideParentheses(1, "TO");
        if (to < 0) {
            return List.of();
        }
        Optional<String> path = tokens.stringValue(to + 1);
        return List.of(new WriteTarget(COPY_TO, path, path.isPresent() ? tokens.offset(to + 1) : tokens.offset(to)));
    }

    @Override
    public StepCheck check(List<String> statements, WriteTargets writeTargets)
    {
        List<StepCheck.Problem> problems = new ArrayList<>();
        boolean complete = true;
        for (int index = 0; index < statements.size(); index++) {
            String statement = statements.get(index);
            // DuckDB counts a binder error's LINE from the statement's first token but a parser
            // error's from the start of the text: without its leading comments, both count alike
            int start = firstToken(statement);
            String sql = statement.substring(start);
            PreparedStatement prepared;
            try {
                prepared = connection.prepareStatement(sql);
            }
            catch (SQLException e) {
                // the statements after it may well need what it would have made: the step stops here, as a load would
                problems.add(problem(index, start, sql, "DuckDB rejects the statement", e));
                return new StepCheck(problems, false);
            }
            try (prepared) {
                List<WriteTarget> targets = writeTargets(sql);
                if (runs(sql, targets, writeTargets)) {
                    createFolders(targets);
                    prepared.execute();
                }
                else if (!targets.isEmpty()) {
                    complete = false;
                }
            }
            catch (SQLException e) {
                problems.add(problem(index, start, sql, "fails on the lint fixture", e));
                return new StepCheck(problems, false);
            }
        }
        return new StepCheck(problems, complete);
    }

    @Override
    public void close()
    {
        try {
            connection.close();
        }
        catch (SQLException ignored) {
            // an in-memory database has nothing to lose
        }
    }

    private static boolean runs(String sql, List<WriteTarget> targets, WriteTargets writeTargets)
    {
        boolean runs = SqlTokens.of(sql).get(0)
                .filter(first -> first.kind() == SqlToken.Kind.WORD && RUN.contains(first.text().toUpperCase(Locale.ROOT)))
                .isPresent();
        return runs && targets.stream().allMatch(target -> target.path().filter(writeTargets::allows).isPresent());
    }

    /** DuckDB writes a file into a folder but does not make the folder (the load makes the target's). */
    private static void createFolders(List<WriteTarget> targets)
    {
        for (WriteTarget target : targets) {
            String path = target.path().orElseThrow();
            Path folder = path.endsWith("/") ? Path.of(path) : Path.of(path).getParent();
            try {
                Files.createDirectories(folder);
            }
            catch (IOException e) {
                throw new UncheckedIOException("cannot create " + folder + " for lint: " + e.getMessage(), e);
            }
        }
    }

    private static StepCheck.Problem problem(int statement, int start, String sql, String what, SQLException e)
    {
        String message = e.getMessage() == null ? "DuckDB failed without a message" : e.getMessage().strip();
        List<String> lines = message.lines().toList();
        String summary = lines.isEmpty() ? message : lines.get(0);
        if (lines.size() > 1 && (lines.get(1).startsWith("Did you mean") || lines.get(1).startsWith("Candidate bindings"))) {
            summary += " (" + lines.get(1) + ")";
        }
        Matcher line = ERROR_LINE.matcher(message);
        int offset = start + (line.find() ? LineMap.offsetOf(sql, Integer.parseInt(line.group(1)), 1) : 0);
        return new StepCheck.Problem(statement, offset, what + ": " + summary, message.contains(MISSING_FILES));
    }

    private static int firstToken(String sql)
    {
        return SqlTokens.of(sql).get(0).map(SqlToken::offset).orElse(0);
    }
}
