package org.eventetl.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.eventetl.config.Settings;
import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.plan.Step;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.plan.Scripts;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderContext;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.PublishedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * {@code etl lint}: renders every step under {@code sql/} for every engine the runner supports, for
 * a made-up partition over a few lines of made-up source ({@link LintFixture}), and reports what a
 * load would trip over, before any load does:
 * <ol>
 * <li>a template that does not render, or rendered SQL that still holds <code>{{</code> or <code>}}</code>;
 * <li>a step without a section for an engine, or whose section renders no statement;
 * <li>a partition value written literally instead of coming from the parameters ({@link PartitionLiterals});
 * <li>a write outside a full {@code <output>/<dataset>/<partition path>/} prefix ({@link WriteTargets});
 * <li>a statement the engine does not accept ({@link EngineLint#check}).
 * </ol>
 * A finding names the template line, which is what a person edits, not a line of rendered SQL.
 */
public final class Linter
{
    /** What stands in for the other steps while one is rendered: it always renders to a statement. */
    private static final String STAND_IN = "SELECT 1";
    private static final Pattern MUSTACHE_LOCATION = Pattern.compile("\\s*@\\[([^\\]]*):([0-9]+)]");
    private static final Pattern MUSTACHE_NOT_FOUND = Pattern.compile("Template (\\S+) not found");
    private static final Set<String> ENGINES = Arrays.stream(EngineKind.values()).map(EngineKind::id).collect(Collectors.toUnmodifiableSet());

    private final Path sqlFolder;
    private final Path templatesFolder;
    private final Path workFolder;

    /** Lint writes its fixture, and the steps write their outputs, under {@code workFolder} only. */
    public Linter(Path sqlFolder, Path templatesFolder, Path workFolder)
    {
        this.sqlFolder = requireNonNull(sqlFolder, "sqlFolder is null");
        this.templatesFolder = requireNonNull(templatesFolder, "templatesFolder is null");
        this.workFolder = requireNonNull(workFolder, "workFolder is null");
    }

    public LintReport lint()
            throws IOException
    {
        List<Step> steps = new ScriptResolver(sqlFolder).resolve().steps();
        LintFixture fixture = LintFixture.create(workFolder);
        Set<String> datasets = new HashSet<>();
        steps.forEach(step -> step.dataset().ifPresent(datasets::add));
        WriteTargets writeTargets = new WriteTargets(fixture.output(), LintFixture.RUN, fixture.partition(), datasets);
        SqlRenderer renderer = new SqlRenderer(templatesFolder);

        Set<Finding> findings = new LinkedHashSet<>();
        for (EngineKind engine : EngineKind.values()) {
            try (EngineLint engineLint = EngineLint.create(engine, fixture)) {
                new EngineRun(engine, engineLint, steps, renderer, fixture, writeTargets, findings).lintSteps();
            }
        }

        // steps in version order, then partials; within a file by line
        Map<String, Integer> fileOrder = new HashMap<>();
        steps.forEach(step -> fileOrder.put(step.file(), fileOrder.size()));
        List<Finding> sorted = new ArrayList<>(findings);
        sorted.sort(Comparator.comparingInt((Finding finding) -> fileOrder.getOrDefault(finding.file(), Integer.MAX_VALUE))
                .thenComparing(Finding::file)
                .thenComparingInt(Finding::line)
                .thenComparing(Finding::engine));
        return new LintReport(steps.size(), EngineKind.values().length, sorted);
    }

    /** The lint of every step on one engine: the steps in plan order, as a load runs them. */
    private final class EngineRun
    {
        private final EngineKind engine;
        private final EngineLint engineLint;
        private final List<Step> steps;
        private final SqlRenderer renderer;
        private final LintFixture fixture;
        private final WriteTargets writeTargets;
        private final Set<Finding> findings;
        // the prefixes that hold nothing because the step writing them could not run, and those steps
        private final List<String> missingPrefixes = new ArrayList<>();
        private final List<String> failedSteps = new ArrayList<>();

        EngineRun(EngineKind engine, EngineLint engineLint, List<Step> steps, SqlRenderer renderer, LintFixture fixture, WriteTargets writeTargets, Set<Finding> findings)
        {
            this.engine = engine;
            this.engineLint = engineLint;
            this.steps = steps;
            this.renderer = renderer;
            this.fixture = fixture;
            this.writeTargets = writeTargets;
            this.findings = findings;
        }

        void lintSteps()
                throws IOException
        {
            for (int index = 0; index < steps.size(); index++) {
                Step step = steps.get(index);
                if (!lintStep(index, new TemplateText(step.file(), step.template()))) {
                    step.dataset().ifPresent(dataset -> missingPrefixes.add(new PublishedPrefix(fixture.output(), dataset, fixture.partition()).prefix()));
                    failedSteps.add(step.file());
                }
            }
        }

        /** Lints one step; whether it ran completely on the fixture, so that later steps can read what it writes. */
        private boolean lintStep(int index, TemplateText template)
                throws IOException
        {
            String id = engine.id();
            OptionalInt section = template.sectionLine(id);
            if (section.isEmpty()) {
                add(template.file(), 1, "no {{#" + id + "}} section: the step cannot run on " + id);
            }
            RenderedStep rendered;
            try {
                rendered = render(index, template.text());
            }
            catch (RuntimeException e) {
                if (e instanceof UserException && e.getCause() == null) {
                    // PlanRenderer's "no section" refusal: reported above unless the section is there but empty
                    section.ifPresent(line -> add(template.file(), line, "the {{#" + id + "}} section renders no statement"));
                }
                else {
                    renderFailure(template, e.getCause() == null ? e : e.getCause());
                }
                literals(template, template.linesShownTo(id, ENGINES));
                return false;
            }

            // should the marked copy not render like the template, every finding falls back to the section's line
            LineMap lines = markedRendering(index, template)
                    .flatMap(marked -> LineMap.align(rendered.sql(), marked))
                    .orElseGet(() -> LineMap.uniform(rendered.sql(), section.orElse(1)));
            leftoverTags(template, rendered.sql(), lines);
            literals(template, lines.renderedLines().isEmpty() ? template.linesShownTo(id, ENGINES) : lines.renderedLines());

            int[] offsets = statementOffsets(rendered);
            for (int i = 0; i < offsets.length; i++) {
                for (WriteTarget target : engineLint.writeTargets(rendered.statements().get(i))) {
                    int offset = offsets[i] + target.offset();
                    writeTargets.problem(target).ifPresent(problem -> add(template.file(), lines.line(offset), problem));
                }
            }

            StepCheck check = engineLint.check(rendered, writeTargets);
            for (StepCheck.Problem problem : check.problems()) {
                String statement = rendered.statements().get(problem.statement());
                if (problem.missingInput() && missingPrefixes.stream().anyMatch(statement::contains)) {
                    // it reads what an earlier step should have written: that step's finding is the one to fix
                    continue;
                }
                String message = problem.message();
                if (!failedSteps.isEmpty()) {
                    message += " (perhaps because " + String.join(", ", failedSteps) + " could not run before it)";
                }
                add(template.file(), lines.line(offsets[problem.statement()] + problem.offset()), message);
            }
            return check.complete();
        }

        /**
         * Renders one step exactly as a load would. PlanRenderer stops at the first step that does
         * not render, and lint wants every step's own result, so every other step is replaced by a
         * stand-in that always renders: the datasets, and with them {@code {{target}}} and
         * {@code {{staged.<dataset>}}}, stay the real ones.
         */
        private RenderedStep render(int index, String template)
        {
            List<Step> plan = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                Step step = steps.get(i);
                plan.add(new Step(step.name(), step.file(), i == index ? template : STAND_IN, step.checksum(), step.dataset(), step.condition(), step.scope(),
                        step.summary()));
            }
            Map<String, Object> parameters = Map.of("max_reject_ratio", 0.01, "min_volume_ratio", 0.5, "recent_days", List.of(), "any_recent_day", false);
            return new PlanRenderer(new Scripts(plan, List.of(), List.of()), renderer).render(new RenderContext(fixture.partition(), engine,
                    fixture.sourceFolder(), fixture.sourceFiles(), fixture.output(), LintFixture.RUN, Settings.defaultSettings(), parameters)).steps().get(index);
        }

        private Optional<String> markedRendering(int index, TemplateText template)
        {
            try {
                return Optional.of(render(index, template.marked()).sql());
            }
            catch (RuntimeException e) {
                // a marker broke a tag that spans lines
                return Optional.empty();
            }
        }

        /** Rule 1: Mustache says where it stopped; an error in a partial is shown at the line that includes it. */
        private void renderFailure(TemplateText template, Throwable failure)
        {
            String message = String.valueOf(failure.getMessage());
            int line = 1;
            Matcher location = MUSTACHE_LOCATION.matcher(message);
            Matcher notFound = MUSTACHE_NOT_FOUND.matcher(message);
            if (location.find()) {
                String file = location.group(1);
                int where = Integer.parseInt(location.group(2));
                message = message.replace(location.group(), "");
                if (file.equals(template.file())) {
                    line = where;
                }
                else {
                    line = template.partialLine(file).orElse(1);
                    message += " (" + templatesFolder.getFileName() + "/" + file + " line " + where + ")";
                }
            }
            else if (notFound.find()) {
                line = template.partialLine(notFound.group(1)).orElse(1);
            }
            add(template.file(), line, "cannot render: " + message.strip());
        }

        /** Rule 1: a brace pair Mustache did not take for a tag is left in the SQL (a misspelt tag, most likely). */
        private void leftoverTags(TemplateText template, String sql, LineMap lines)
        {
            for (String braces : List.of("{{", "}}")) {
                int at = sql.indexOf(braces);
                while (at >= 0) {
                    add(template.file(), lines.line(at), "the rendered SQL still contains '" + braces + "': " + word(sql, at) + " (a misspelt or unbalanced tag?)");
                    at = sql.indexOf(braces, at + braces.length());
                }
            }
        }

        /**
         * Rule 3, on the template lines this engine renders, and on the partials those lines
         * include (reported in the partial's own file).
         */
        private void literals(TemplateText template, Set<Integer> shown)
                throws IOException
        {
            for (PartitionLiterals.Literal literal : PartitionLiterals.find(template.masked())) {
                int line = template.lineOf(literal.offset());
                if (shown.contains(line)) {
                    add(template.file(), line, literal.message());
                }
            }
            for (TemplateText.Include include : template.partials()) {
                if (shown.contains(include.line())) {
                    partialLiterals(include.name(), new HashSet<>());
                }
            }
        }

        private void partialLiterals(String name, Set<String> seen)
                throws IOException
        {
            Path file = templatesFolder.resolve(name + ".mustache");
            if (!seen.add(name) || !Files.isRegularFile(file)) {
                // a missing partial does not render: rule 1 has said so
                return;
            }
            TemplateText partial = new TemplateText(templatesFolder.getFileName() + "/" + name + ".mustache", Files.readString(file, StandardCharsets.UTF_8));
            for (PartitionLiterals.Literal literal : PartitionLiterals.find(partial.masked())) {
                add(partial.file(), partial.lineOf(literal.offset()), literal.message());
            }
            for (TemplateText.Include include : partial.partials()) {
                partialLiterals(include.name(), seen);
            }
        }

        private void add(String file, int line, String message)
        {
            findings.add(new Finding(file, line, engine.id(), message));
        }
    }

    /** Where each statement starts in the rendered SQL: statements are its text, stripped, in order. */
    private static int[] statementOffsets(RenderedStep rendered)
    {
        int[] offsets = new int[rendered.statements().size()];
        int from = 0;
        for (int i = 0; i < offsets.length; i++) {
            String statement = rendered.statements().get(i);
            int at = rendered.sql().indexOf(statement, from);
            offsets[i] = at < 0 ? from : at;
            from = at < 0 ? from : at + statement.length();
        }
        return offsets;
    }

    /** The run of non-blank characters around an offset, short enough for a one-line finding. */
    private static String word(String sql, int at)
    {
        int start = at;
        while (start > 0 && !Character.isWhitespace(sql.charAt(start - 1)) && at - start < 40) {
            start--;
        }
        int end = at;
        while (end < sql.length() && !Character.isWhitespace(sql.charAt(end)) && end - at < 40) {
            end++;
        }
        return sql.substring(start, end);
    }
}
