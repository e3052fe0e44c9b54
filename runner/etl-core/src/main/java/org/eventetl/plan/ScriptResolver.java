package org.eventetl.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eventetl.model.TextFiles;
import org.eventetl.model.UserException;

import static java.util.Objects.requireNonNull;

/**
 * Discovers what {@code sql/} holds and orders it, like Flyway's resolver: steps
 * ({@code V<version>__<name>.sql}), audits ({@code A<number>__<name>.sql}) and callbacks
 * ({@code afterPublish…}, {@code afterRun…}). A file that follows none of these names, or two files
 * with one version or number, stop the run with a message that says which files and what a good
 * name looks like.
 * <p>
 * A step's header (its leading {@code --} comment lines) may carry directives:
 * {@code -- target: <dataset>} names the dataset it writes when that is not the step's name, or
 * {@code none}; {@code -- when: rows_dropped} runs it only when the step before it scanned more rows
 * than it wrote; {@code -- scope: database} marks a step that only sets up the engine's database
 * (tables, functions), which an engine with a persistent catalog runs once per database;
 * {@code -- summary: rows} or {@code -- summary: count by <column>} says what the load's summary
 * shows of its dataset; {@code -- show: order by <expressions>} or {@code -- show: file order} in
 * what order {@code etl show} prints its rows (else by every column). An audit's header may say {@code -- severity: warning} (default: error).
 */
public final class ScriptResolver
{
    /** The names of the header's directives (lint holds header words near them to be typos). */
    public static final List<String> DIRECTIVES = List.of("target", "when", "scope", "summary", "show", "severity");
    private static final Pattern DIRECTIVE = Pattern.compile("--\\s*(" + String.join("|", DIRECTIVES) + "):\\s*(\\S.*?)\\s*");
    private static final Pattern SHOW_ORDER_BY = Pattern.compile("(?i)order\\s+by\\s+(\\S.*)");
    private static final Pattern DATASET = Pattern.compile("[a-z][a-z0-9_]*");

    private final Path sqlFolder;

    public ScriptResolver(Path sqlFolder)
    {
        this.sqlFolder = requireNonNull(sqlFolder, "sqlFolder is null");
    }

    public Scripts resolve()
    {
        if (!Files.isDirectory(sqlFolder)) {
            throw new UserException("no step folder at " + sqlFolder + "; run from the project or set ETL_HOME");
        }
        List<Step> steps = new ArrayList<>();
        List<Audit> audits = new ArrayList<>();
        List<Callback> callbacks = new ArrayList<>();
        Map<Integer, String> versions = new HashMap<>();
        Map<Integer, String> auditNumbers = new HashMap<>();
        try (Stream<Path> files = Files.list(sqlFolder)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!fileName.endsWith(".sql")) {
                    if (fileName.toLowerCase(Locale.ROOT).endsWith(".sql")) {
                        // skipped, V5__dau.SQL would silently drop its step from every load
                        throw new UserException(relative(file) + " ends in " + fileName.substring(fileName.length() - 4) + ": name it .sql, or move it out of "
                                + sqlFolder.getFileName());
                    }
                    continue;
                }
                if (AuditName.looksLikeAudit(fileName)) {
                    AuditName name = AuditName.parse(fileName);
                    unique(auditNumbers, name.number(), fileName, "audit number");
                    audits.add(audit(name, file));
                }
                else if (Callback.looksLikeCallback(fileName)) {
                    String template = read(file);
                    callbacks.add(new Callback(Callback.event(fileName), relative(file), template, Checksum.of(template)));
                }
                else {
                    StepName name = StepName.parse(fileName);
                    unique(versions, name.version(), fileName, "version");
                    steps.add(step(name, file));
                }
            }
        }
        catch (IOException e) {
            throw new UserException("cannot read " + sqlFolder + ": " + e.getMessage(), e);
        }
        if (steps.isEmpty()) {
            throw new UserException("no steps in " + sqlFolder + "; expected files like " + StepName.EXAMPLE);
        }
        steps.sort(Comparator.comparingInt(Step::version));
        audits.sort(Comparator.comparingInt(audit -> audit.name().number()));
        return new Scripts(steps, audits, callbacks);
    }

    private static void unique(Map<Integer, String> seen, int number, String fileName, String what)
    {
        String previous = seen.put(number, fileName);
        if (previous != null) {
            throw new UserException(what + " " + number + " is used twice: " + previous + " and " + fileName);
        }
    }

    private Step step(StepName name, Path file)
            throws IOException
    {
        String template = read(file);
        String relative = relative(file);
        Optional<String> dataset = Optional.of(name.name());
        Step.Condition condition = Step.Condition.ALWAYS;
        Step.Scope scope = Step.Scope.PARTITION;
        Optional<SummaryView> summary = Optional.empty();
        Optional<String> showOrder = Optional.empty();
        for (Map.Entry<String, String> directive : directives(template, relative, "target", "when", "scope", "summary", "show").entrySet()) {
            String value = directive.getValue();
            switch (directive.getKey()) {
                case "target" -> {
                    if (value.equals("none")) {
                        dataset = Optional.empty();
                    }
                    else if (DATASET.matcher(value).matches()) {
                        dataset = Optional.of(value);
                    }
                    else {
                        throw new UserException(relative + ": target '" + value + "' is not a dataset name (a-z, 0-9, _, starting with a letter) or none");
                    }
                }
                case "when" -> condition = enumValue(Step.Condition.class, value, relative, "condition");
                case "scope" -> scope = enumValue(Step.Scope.class, value, relative, "scope");
                case "summary" -> summary = Optional.of(SummaryView.parse(value, relative));
                case "show" -> showOrder = Optional.of(showOrder(value, relative));
                default -> throw new IllegalStateException("unexpected directive " + directive.getKey());
            }
        }
        if (scope == Step.Scope.DATABASE && (dataset.isPresent() || condition != Step.Condition.ALWAYS)) {
            throw new UserException(relative + ": a step of scope database sets up tables only: give it '-- target: none' and no '-- when:'");
        }
        if (summary.isPresent() && dataset.isEmpty()) {
            throw new UserException(relative + ": '-- summary:' needs a dataset, and this step writes none");
        }
        if (showOrder.isPresent() && dataset.isEmpty()) {
            throw new UserException(relative + ": '-- show:' needs a dataset, and this step writes none");
        }
        return new Step(name, relative, template, Checksum.of(template), dataset, condition, scope, summary, showOrder);
    }

    /** {@code order by <expressions>} → the expressions; {@code file order} → empty text (no ORDER BY). */
    private static String showOrder(String value, String file)
    {
        Matcher orderBy = SHOW_ORDER_BY.matcher(value);
        if (orderBy.matches()) {
            return orderBy.group(1);
        }
        if (value.equalsIgnoreCase("file order")) {
            return "";
        }
        throw new UserException(file + ": '-- show: " + value + "' is neither 'order by <expressions>' nor 'file order'");
    }

    private Audit audit(AuditName name, Path file)
            throws IOException
    {
        String template = read(file);
        String relative = relative(file);
        Audit.Severity severity = Audit.Severity.ERROR;
        String value = directives(template, relative, "severity").get("severity");
        if (value != null) {
            severity = enumValue(Audit.Severity.class, value, relative, "severity");
        }
        return new Audit(name, relative, template, Checksum.of(template), severity);
    }

    /** The directives of the header (the leading comment lines); one that this kind of file does not take is refused. */
    private static Map<String, String> directives(String template, String file, String... allowed)
    {
        Map<String, String> directives = new HashMap<>();
        List<String> names = List.of(allowed);
        for (String line : template.split("\r?\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            Matcher directive = DIRECTIVE.matcher(line);
            if (!directive.matches()) {
                continue;
            }
            if (!names.contains(directive.group(1))) {
                throw new UserException(file + ": '-- " + directive.group(1) + ":' does not apply to this kind of file; it takes " + String.join(", ", names));
            }
            directives.put(directive.group(1), directive.group(2));
        }
        return directives;
    }

    private static <E extends Enum<E>> E enumValue(Class<E> type, String value, String file, String what)
    {
        try {
            return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            List<String> known = java.util.Arrays.stream(type.getEnumConstants()).map(constant -> constant.name().toLowerCase(Locale.ROOT)).toList();
            throw new UserException(file + ": unknown " + what + " '" + value + "'; known: " + String.join(", ", known));
        }
    }

    private static String read(Path file)
            throws IOException
    {
        return TextFiles.readUtf8(file);
    }

    private String relative(Path file)
    {
        return sqlFolder.getFileName() + "/" + file.getFileName();
    }
}
