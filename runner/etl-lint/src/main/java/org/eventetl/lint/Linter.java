package org.eventetl.lint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
 * a made-up partition over a few lines of made-up source ({@link LintFixture}), and holds each
 * rendering to every rule of {@link #RULES}, so that what a load would trip over shows before any
 * load does. A finding names the template line and column, which is what a person edits, not a
 * place in the rendered SQL.
 */
public final class Linter
{
    /** In the order a step meets them: rendering, the SQL as written, then what the engine says. */
    static final List<LintRule> RULES = List.of(
            new TemplateRendersRule(),
            new EngineSectionRule(),
            new LeftoverBracesRule(),
            new PartitionLiteralRule(),
            new WriteOutsideTargetRule(),
            new EngineAcceptsRule(),
            new AthenaOwnTargetRule(),
            new TableLocationRule());

    /** What stands in for the other steps while one is rendered: it always renders to a statement. */
    private static final String STAND_IN = "SELECT 1";

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

    /** Every rule's id and description, in the order lint applies them. */
    public static Map<String, String> rules()
    {
        Map<String, String> rules = new LinkedHashMap<>();
        RULES.forEach(rule -> rules.put(rule.id(), rule.description()));
        return rules;
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

        Findings findings = new Findings();
        for (EngineKind engine : EngineKind.values()) {
            try (EngineLint engineLint = EngineLint.create(engine, fixture)) {
                LintedStep.Context context = new LintedStep.Context(engine, engineLint, writeTargets, fixture, templatesFolder);
                new EngineRun(context, steps, renderer).lintSteps(findings);
            }
        }

        // steps in version order, then partials; within a file by place
        Map<String, Integer> fileOrder = new HashMap<>();
        steps.forEach(step -> fileOrder.put(step.file(), fileOrder.size()));
        List<Finding> sorted = new ArrayList<>(findings.list());
        sorted.sort(Comparator.comparingInt((Finding finding) -> fileOrder.getOrDefault(finding.file(), Integer.MAX_VALUE))
                .thenComparing(Finding::file)
                .thenComparingInt(Finding::line)
                .thenComparingInt(Finding::column)
                .thenComparing(Finding::engine));
        return new LintReport(steps.size(), EngineKind.values().length, sorted);
    }

    /** The lint of every step on one engine: the steps in plan order, as a load runs them. */
    private static final class EngineRun
    {
        private final LintedStep.Context context;
        private final List<Step> steps;
        private final SqlRenderer renderer;
        // the steps that could not run completely, and the prefixes they left empty
        private final List<String> failedSteps = new ArrayList<>();
        private final List<String> missingPrefixes = new ArrayList<>();

        EngineRun(LintedStep.Context context, List<Step> steps, SqlRenderer renderer)
        {
            this.context = requireNonNull(context, "context is null");
            this.steps = List.copyOf(requireNonNull(steps, "steps is null"));
            this.renderer = requireNonNull(renderer, "renderer is null");
        }

        void lintSteps(Findings findings)
                throws IOException
        {
            for (int index = 0; index < steps.size(); index++) {
                Step step = steps.get(index);
                LintedStep linted = lintedStep(index, new TemplateText(step.file(), step.template()));
                for (LintRule rule : RULES) {
                    rule.check(linted, findings);
                }
                if (!linted.complete()) {
                    step.dataset().ifPresent(dataset -> missingPrefixes.add(new PublishedPrefix(context.fixture().output(), dataset, context.fixture().partition()).staged(LintFixture.RUN).prefix()));
                    failedSteps.add(step.file());
                }
            }
        }

        /** Renders one step, traces the rendering back to the template and has the engine check it. */
        private LintedStep lintedStep(int index, TemplateText template)
        {
            LintedStep.EarlierFailures earlier = new LintedStep.EarlierFailures(failedSteps, missingPrefixes);
            RenderedStep rendered;
            try {
                rendered = render(index, template.text());
            }
            catch (UserException e) {
                // PlanRenderer's refusal of a step without a statement for the engine has no cause
                LintedStep.Rendering rendering = e.getCause() == null ? LintedStep.Rendering.NO_STATEMENT : LintedStep.Rendering.FAILED;
                return LintedStep.notRendered(context, template, rendering, e, earlier);
            }
            catch (RuntimeException e) {
                return LintedStep.notRendered(context, template, LintedStep.Rendering.FAILED, e, earlier);
            }
            // should the marked copy not render like the template, every finding falls back to the section's line
            LineMap lines = markedRendering(index, template)
                    .flatMap(marked -> LineMap.align(rendered.sql(), marked))
                    .orElseGet(() -> LineMap.uniform(rendered.sql(), template.sectionLine(context.engine().id()).orElse(1)));
            StepCheck check = context.engineLint().check(rendered, context.writeTargets());
            return LintedStep.rendered(context, template, rendered, lines, check, earlier);
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
            LintFixture fixture = context.fixture();
            Map<String, Object> parameters = Map.of("max_reject_ratio", 0.01, "min_volume_ratio", 0.5, "recent_days", List.of(), "any_recent_day", false,
                    "published_rows", Map.of());
            return new PlanRenderer(new Scripts(plan, List.of(), List.of()), renderer).render(new RenderContext(fixture.partition(), context.engine(),
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
    }
}
