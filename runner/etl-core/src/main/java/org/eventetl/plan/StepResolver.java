package org.eventetl.plan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

import org.eventetl.model.UserException;

import static java.util.Objects.requireNonNull;

/**
 * Discovers the steps under {@code sql/} and orders them by version, like Flyway's resolver:
 * a file that is not a valid step name, or two files with one version, stop the run with a
 * message that says which files and what a good name looks like.
 * <p>
 * A step's header (its leading {@code --} comment lines) may carry directives:
 * {@code -- target: <dataset>} names the dataset it writes when that is not the step's name, or
 * {@code none}; {@code -- when: rejects_suspected} runs it only when the extraction before it saw
 * lines that are not events; {@code -- scope: database} marks a step that only sets up the engine's
 * database (tables, functions), which an engine with a persistent catalog runs once per database.
 */
public final class StepResolver
{
    private static final Pattern DIRECTIVE = Pattern.compile("--\\s*(target|when|scope):\\s*(\\S+)\\s*");
    private static final Pattern DATASET = Pattern.compile("_?[a-z][a-z0-9_]*");

    private final Path sqlFolder;

    public StepResolver(Path sqlFolder)
    {
        this.sqlFolder = requireNonNull(sqlFolder, "sqlFolder is null");
    }

    public List<Step> resolve()
    {
        if (!Files.isDirectory(sqlFolder)) {
            throw new UserException("no step folder at " + sqlFolder + "; run from the project or set ETL_HOME");
        }
        List<Step> steps = new ArrayList<>();
        Map<Integer, String> versions = new HashMap<>();
        try (Stream<Path> files = Files.list(sqlFolder)) {
            for (Path file : files.sorted().toList()) {
                String fileName = file.getFileName().toString();
                if (!StepName.looksLikeStep(fileName)) {
                    continue;
                }
                StepName name = StepName.parse(fileName);
                String previous = versions.put(name.version(), fileName);
                if (previous != null) {
                    throw new UserException("version " + name.version() + " is used twice: " + previous + " and " + fileName);
                }
                steps.add(load(name, file));
            }
        }
        catch (IOException e) {
            throw new UserException("cannot read " + sqlFolder + ": " + e.getMessage(), e);
        }
        if (steps.isEmpty()) {
            throw new UserException("no steps in " + sqlFolder + "; expected files like " + StepName.EXAMPLE);
        }
        steps.sort(Comparator.comparingInt(Step::version));
        return List.copyOf(steps);
    }

    private Step load(StepName name, Path file)
            throws IOException
    {
        String template = Files.readString(file, StandardCharsets.UTF_8);
        Optional<String> dataset = Optional.of(name.name());
        Step.Condition condition = Step.Condition.ALWAYS;
        Step.Scope scope = Step.Scope.PARTITION;
        String relative = sqlFolder.getFileName() + "/" + file.getFileName();
        for (String line : template.split("\r?\n")) {
            if (!line.startsWith("--")) {
                break;
            }
            Matcher directive = DIRECTIVE.matcher(line);
            if (!directive.matches()) {
                continue;
            }
            String value = directive.group(2);
            if (directive.group(1).equals("target")) {
                if (value.equals("none")) {
                    dataset = Optional.empty();
                }
                else if (DATASET.matcher(value).matches()) {
                    dataset = Optional.of(value);
                }
                else {
                    throw new UserException(relative + ": target '" + value + "' is not a dataset name (a-z, 0-9, _) or none");
                }
            }
            else if (directive.group(1).equals("when")) {
                try {
                    condition = Step.Condition.valueOf(value.toUpperCase(Locale.ROOT));
                }
                catch (IllegalArgumentException e) {
                    throw new UserException(relative + ": unknown condition '" + value + "'; known: always, rejects_suspected");
                }
            }
            else {
                try {
                    scope = Step.Scope.valueOf(value.toUpperCase(Locale.ROOT));
                }
                catch (IllegalArgumentException e) {
                    throw new UserException(relative + ": unknown scope '" + value + "'; known: partition, database");
                }
            }
        }
        if (scope == Step.Scope.DATABASE && (dataset.isPresent() || condition != Step.Condition.ALWAYS)) {
            throw new UserException(relative + ": a step of scope database sets up tables only: give it '-- target: none' and no '-- when:'");
        }
        return new Step(name, relative, template, Checksum.of(template), dataset, condition, scope);
    }
}
