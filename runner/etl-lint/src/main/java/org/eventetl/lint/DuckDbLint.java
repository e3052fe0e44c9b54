package org.eventetl.lint;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
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

import org.eventetl.model.StepFailedException;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.Statements;

import static java.util.Objects.requireNonNull;

/**
 * Lint for the embedded engine, on one in-memory DuckDB database per lint run.
 * <p>
 * Every statement is prepared, which parses, binds and plans it and runs nothing: a misspelt
 * keyword, an unknown column or function, a type that does not fit all show here, with DuckDB's
 * {@code LINE n} pointing into the statement. Then the statements later ones depend on are run,
 * on the fixture's few lines: the session settings, macros and temporary tables of the catalog,
 * and each {@code COPY … TO} whose target rule 4 allows. Running them, rather than making empty
 * Parquet files for the steps that read another step's output, gives those steps files with
 * exactly the schema the earlier step writes, where hand-made fixtures would drift from the
 * templates; and since rule 4 allows only partition prefixes under the fixture's output, lint
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
            this.connection = DriverManager.getConnection("jdbc:duckdb:");
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
        List<Token> tokens = tokens(statement);
        if (tokens.isEmpty() || !tokens.get(0).isWord("COPY")) {
            return List.of();
        }
        // COPY (query) TO 'path' or COPY table TO 'path': the first TO outside parentheses; COPY … FROM reads
        for (int i = 1; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.depth() == 0 && token.isWord("TO")) {
                if (i + 1 < tokens.size() && tokens.get(i + 1).kind() == Kind.STRING) {
                    Token path = tokens.get(i + 1);
                    return List.of(new WriteTarget(COPY_TO, Optional.of(unquote(path.text())), path.offset()));
                }
                return List.of(new WriteTarget(COPY_TO, Optional.empty(), token.offset()));
            }
        }
        return List.of();
    }

    @Override
    public StepCheck check(RenderedStep step, WriteTargets writeTargets)
    {
        List<StepCheck.Problem> problems = new ArrayList<>();
        boolean complete = true;
        List<String> statements = step.statements();
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
        List<Token> tokens = tokens(sql);
        if (tokens.isEmpty() || tokens.get(0).kind() != Kind.WORD || !RUN.contains(tokens.get(0).text().toUpperCase(Locale.ROOT))) {
            return false;
        }
        return targets.stream().allMatch(target -> target.path().filter(writeTargets::allows).isPresent());
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
        int offset = start + (line.find() ? lineStart(sql, Integer.parseInt(line.group(1))) : 0);
        return new StepCheck.Problem(statement, offset, what + ": " + summary, message.contains(MISSING_FILES));
    }

    /** The offset of a 1-based line of the text (its last line's when there are fewer). */
    private static int lineStart(String text, int line)
    {
        int offset = 0;
        for (int i = 1; i < line; i++) {
            int newline = text.indexOf('\n', offset);
            if (newline < 0) {
                break;
            }
            offset = newline + 1;
        }
        return offset;
    }

    private static int firstToken(String sql)
    {
        List<Token> tokens = tokens(sql);
        return tokens.isEmpty() ? 0 : tokens.get(0).offset();
    }

    private static String unquote(String literal)
    {
        int open = literal.indexOf('\'');
        return literal.substring(open + 1, literal.length() - 1).replace("''", "'");
    }

    /** The statement's words, strings and punctuation, with comments and white space left out. */
    private static List<Token> tokens(String sql)
    {
        List<Token> tokens = new ArrayList<>();
        int depth = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            }
            else if (sql.startsWith("--", i)) {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? sql.length() : end;
            }
            else if (sql.startsWith("/*", i)) {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? sql.length() : end + 2;
            }
            else if (c == '\'' || (c == 'E' || c == 'e') && sql.startsWith("'", i + 1)) {
                int quote = c == '\'' ? i : i + 1;
                int end = Statements.closingQuote(sql, quote, quote != i);
                tokens.add(new Token(sql.substring(i, end), i, depth, Kind.STRING));
                i = end;
            }
            else if (c == '"') {
                int end = Statements.closingQuote(sql, i, false);
                tokens.add(new Token(sql.substring(i, end), i, depth, Kind.OTHER));
                i = end;
            }
            else if (Character.isLetter(c) || c == '_') {
                int end = i + 1;
                while (end < sql.length() && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_' || sql.charAt(end) == '$')) {
                    end++;
                }
                tokens.add(new Token(sql.substring(i, end), i, depth, Kind.WORD));
                i = end;
            }
            else {
                if (c == ')') {
                    depth--;
                }
                tokens.add(new Token(String.valueOf(c), i, depth, Kind.OTHER));
                if (c == '(') {
                    depth++;
                }
                i++;
            }
        }
        return tokens;
    }

    private enum Kind
    {
        WORD,
        STRING,
        OTHER,
    }

    private record Token(String text, int offset, int depth, Kind kind)
    {
        boolean isWord(String word)
        {
            return kind == Kind.WORD && text.equalsIgnoreCase(word);
        }
    }
}
