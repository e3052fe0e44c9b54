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
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Function;

import org.eventetl.config.Settings;
import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Audit;
import org.eventetl.plan.Callback;
import org.eventetl.plan.ScriptResolver;
import org.eventetl.plan.Scripts;
import org.eventetl.plan.Step;
import org.eventetl.render.Plan;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderContext;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;
import org.eventetl.render.SqlRenderer;
import org.eventetl.storage.PublishedPrefix;

import static java.util.Objects.requireNonNull;

/**
 * {@code etl lint}: renders every file under {@code sql/} (the steps, the audits and the callbacks)
 * for every engine the runner supports, for a made-up partition over a few lines of made-up
 * source ({@link LintFixture}), and holds each rendering to every rule of {@link #RULES} that
 * {@linkplain LintRule#appliesTo applies to it}, so that what a load would trip over shows before
 * any load does. A finding names the template line and column, which is what a person edits, not
 * a place in the rendered SQL.
 */
public final class Linter
{
    /** The one rule across files: it is given every statement of an engine's rendering at once. */
    private static final DatasetTableRule DATASET_TABLE = new DatasetTableRule();
    /** In the order a file meets them: rendering, the SQL as written, then what the engine says. */
    static final List<LintRule> RULES = List.of(
            new TemplateRendersRule(),
            new EngineSectionRule(),
            new LeftoverBracesRule(),
            new DirectiveNameRule(),
            new PartitionLiteralRule(),
            new WriteOutsideTargetRule(),
            new AuditIsAQueryRule(),
            new EngineAcceptsRule(),
            new SummaryReadsRule(),
            new AthenaOwnTargetRule(),
            new TableLocationRule(),
            DATASET_TABLE);

    /** How a finding names the engines when every engine shows it alike. */
    static final String EVERY_ENGINE = "every engine";
    /** What stands in for the other steps while one file is rendered: it always renders to a statement. */
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
        Scripts scripts = new ScriptResolver(sqlFolder).resolve();
        LintFixture fixture = LintFixture.create(workFolder);
        WriteTargets writeTargets = new WriteTargets(fixture.output(), LintFixture.RUN, fixture.partition(), scripts.datasets());
        SqlRenderer renderer = new SqlRenderer(templatesFolder);

        Findings findings = new Findings();
        for (EngineKind engine : EngineKind.values()) {
            try (EngineLint engineLint = EngineLint.create(engine, fixture)) {
                LintedStep.Context context = new LintedStep.Context(engine, engineLint, writeTargets, fixture, templatesFolder);
                new EngineRun(context, scripts, renderer).lint(findings);
            }
        }

        // files in the order a run meets them (steps, audits, callbacks), then partials; within a file by place
        Map<String, Integer> fileOrder = new HashMap<>();
        scripts.steps().forEach(step -> fileOrder.put(step.file(), fileOrder.size()));
        scripts.audits().forEach(audit -> fileOrder.put(audit.file(), fileOrder.size()));
        callbacksInRunOrder(scripts).forEach(callback -> fileOrder.put(callback.file(), fileOrder.size()));
        List<Finding> sorted = new ArrayList<>(findings.list());
        sorted.sort(Comparator.comparingInt((Finding finding) -> fileOrder.getOrDefault(finding.file(), Integer.MAX_VALUE))
                .thenComparing(Finding::file)
                .thenComparingInt(Finding::line)
                .thenComparingInt(Finding::column)
                .thenComparing(Finding::engine));
        return new LintReport(scripts.steps().size(), scripts.audits().size(), scripts.callbacks().size(), EngineKind.values().length, onceForEveryEngine(sorted));
    }

    /**
     * A finding that several engines' renderings show alike (a tag Mustache cannot match, a literal in
     * text all sections share, a line of a {@code trino_sql} section that Trino and Athena both run)
     * is one mistake: it is reported once, for the engines that show it ({@link #EVERY_ENGINE} for all).
     */
    private static List<Finding> onceForEveryEngine(List<Finding> findings)
    {
        Map<List<Object>, List<Finding>> alike = new LinkedHashMap<>();
        for (Finding finding : findings) {
            alike.computeIfAbsent(List.of(finding.file(), finding.line(), finding.column(), finding.rule(), finding.message()), key -> new ArrayList<>()).add(finding);
        }
        List<Finding> merged = new ArrayList<>();
        for (List<Finding> group : alike.values()) {
            Finding first = group.get(0);
            String engines = group.size() == EngineKind.values().length ? EVERY_ENGINE : String.join(", ", group.stream().map(Finding::engine).sorted().toList());
            merged.add(new Finding(first.file(), first.line(), first.column(), engines, first.rule(), first.message()));
        }
        return merged;
    }

    /** The callbacks in the order a run reaches their events. */
    private static List<Callback> callbacksInRunOrder(Scripts scripts)
    {
        List<Callback> callbacks = new ArrayList<>();
        for (Callback.Event event : Callback.Event.values()) {
            callbacks.addAll(scripts.callbacks(event));
        }
        return callbacks;
    }

    /**
     * The lint of every file on one engine, in the order a load runs them: the steps in plan order,
     * then the audits, over what the steps staged on the fixture, then the callbacks.
     */
    private static final class EngineRun
    {
        private final LintedStep.Context context;
        private final Scripts scripts;
        private final SqlRenderer renderer;
        /**
         * Where an audit or a callback may write on the fixture: nowhere. They run after the steps,
         * so nothing lint checks later needs what they write, and an audit that wrote (which
         * audit-is-a-query reports) would change the staged outputs the other audits read.
         */
        private final WriteTargets nowhere;
        // the steps that could not run completely, and the prefixes they left empty
        private final List<String> failedSteps = new ArrayList<>();
        private final List<String> missingPrefixes = new ArrayList<>();

        EngineRun(LintedStep.Context context, Scripts scripts, SqlRenderer renderer)
        {
            this.context = requireNonNull(context, "context is null");
            this.scripts = requireNonNull(scripts, "scripts is null");
            this.renderer = requireNonNull(renderer, "renderer is null");
            LintFixture fixture = context.fixture();
            this.nowhere = new WriteTargets(fixture.output(), LintFixture.RUN, fixture.partition(), List.of());
        }

        void lint(Findings findings)
                throws IOException
        {
            List<Step> steps = scripts.steps();
            List<String> stepStatements = new ArrayList<>();
            List<String> publishCallbacks = new ArrayList<>();
            boolean allRendered = true;
            for (int index = 0; index < steps.size(); index++) {
                Step step = steps.get(index);
                int stepIndex = index;
                LintedStep linted = lint(LintedStep.Kind.STEP, new TemplateText(step.file(), step.template()),
                        template -> LintedStep.Rendered.of(renderStep(stepIndex, template)), context.writeTargets(), findings);
                stepStatements.addAll(linted.statements());
                allRendered &= linted.sql().isPresent();
                if (!linted.complete()) {
                    step.dataset().ifPresent(this::missing);
                    failedSteps.add(step.file());
                }
            }
            // the same files on every engine's run: only DuckDB's steps write them, and they run first
            context.fixture().publishRecentDays(scripts.datasets());
            for (Audit audit : scripts.audits()) {
                for (AuditRun run : auditRuns()) {
                    lint(LintedStep.Kind.AUDIT, new TemplateText(audit.file(), audit.template()), template -> LintedStep.Rendered.of(renderAudit(audit, template, run)),
                            nowhere, findings);
                    if (findings.has(audit.file(), AuditIsAQueryRule.ID, context.engine().id())) {
                        // an audit that writes has been told so; run again, it would meet what it wrote
                        // the first time ("already exists") and send its author after a false lead
                        break;
                    }
                }
            }
            for (Callback callback : callbacksInRunOrder(scripts)) {
                LintedStep linted = lint(LintedStep.Kind.CALLBACK, new TemplateText(callback.file(), callback.template()),
                        template -> LintedStep.Rendered.of(renderCallback(callback, template)), nowhere, findings);
                if (callback.event() == Callback.Event.AFTER_PUBLISH) {
                    publishCallbacks.addAll(linted.statements());
                    allRendered &= linted.sql().isPresent();
                }
            }
            if (allRendered) {
                // across files: with one of them not rendered (template-renders says why), every dataset would
                // look as if no table read it, or no callback registered it
                DATASET_TABLE.check(context.engine(), steps, stepStatements, publishCallbacks, context.fixture().output(),
                        step -> sectionLine(new TemplateText(step.file(), step.template())), findings);
            }
        }

        /** A dataset whose step could not run: neither its staged prefix nor the recent days' copies of it have files. */
        private void missing(String dataset)
        {
            LintFixture fixture = context.fixture();
            missingPrefixes.add(new PublishedPrefix(fixture.output(), dataset, fixture.partition()).staged(LintFixture.RUN).prefix());
            fixture.recentDays().forEach(day -> missingPrefixes.add(new PublishedPrefix(fixture.output(), dataset, day).prefix()));
        }

        /** Renders one file, has the engine check it and holds it to every rule that applies to its kind. */
        private LintedStep lint(LintedStep.Kind kind, TemplateText template, Function<String, LintedStep.Rendered> render, WriteTargets writes, Findings findings)
                throws IOException
        {
            LintedStep linted = linted(kind, template, render, writes);
            for (LintRule rule : RULES) {
                if (rule.appliesTo().contains(kind)) {
                    rule.check(linted, findings);
                }
            }
            return linted;
        }

        /** Renders one file with {@code render}, traces the rendering back to the template and has the engine check it. */
        private LintedStep linted(LintedStep.Kind kind, TemplateText template, Function<String, LintedStep.Rendered> render, WriteTargets writes)
        {
            LintedStep.EarlierFailures earlier = new LintedStep.EarlierFailures(failedSteps, missingPrefixes);
            LintedStep.Rendered rendered;
            try {
                rendered = render.apply(template.text());
            }
            catch (UserException e) {
                // PlanRenderer's refusal of a step or an audit without a statement for the engine has no cause
                LintedStep.Rendering rendering = e.getCause() == null ? LintedStep.Rendering.NO_STATEMENT : LintedStep.Rendering.FAILED;
                return LintedStep.notRendered(context, kind, template, rendering, e, earlier);
            }
            catch (RuntimeException e) {
                return LintedStep.notRendered(context, kind, template, LintedStep.Rendering.FAILED, e, earlier);
            }
            // should the marked copy not render like the template, every finding falls back to the section's line
            LineMap lines = markedRendering(render, template)
                    .flatMap(marked -> LineMap.align(rendered.sql(), marked))
                    .orElseGet(() -> LineMap.uniform(rendered.sql(), sectionLine(template)));
            StepCheck check = context.engineLint().check(rendered.statements(), writes);
            return LintedStep.rendered(context, kind, template, rendered, lines, check, earlier);
        }

        /** The line of the engine's section, or of its dialect's, or the first line. */
        private int sectionLine(TemplateText template)
        {
            EngineKind engine = context.engine();
            OptionalInt section = template.sectionLine(engine.id());
            return section.isPresent() ? section.getAsInt() : template.sectionLine(engine.dialect() + "_sql").orElse(1);
        }

        private static Optional<String> markedRendering(Function<String, LintedStep.Rendered> render, TemplateText template)
        {
            try {
                return Optional.of(render.apply(template.marked()).sql());
            }
            catch (RuntimeException e) {
                // a marker broke a tag that spans lines
                return Optional.empty();
            }
        }

        /**
         * Renders one step exactly as a load would. PlanRenderer stops at the first step that does
         * not render, and lint wants every step's own result, so every other step is replaced by a
         * stand-in that always renders: the datasets, and with them {@code {{target}}} and
         * {@code {{staged.<dataset>}}}, stay the real ones.
         */
        private RenderedStep renderStep(int index, String template)
        {
            List<Step> steps = new ArrayList<>(standIns());
            steps.set(index, withTemplate(scripts.steps().get(index), template));
            return planRenderer(steps, List.of(), List.of()).render(renderContext(true)).steps().get(index);
        }

        /**
         * The two runs each audit is rendered for, so that both sides of {@code {{#written.<dataset>}}}
         * and of {@code {{#any_recent_day}}} are checked: one where every step wrote its dataset, as
         * every step did on the fixture, and recent days were published; one where the steps that
         * run on a condition ({@code -- when:}) wrote nothing and no day was published before. A
         * finding both show is reported once ({@link Findings}).
         */
        private List<AuditRun> auditRuns()
        {
            Set<String> unconditional = new HashSet<>();
            scripts.steps().stream()
                    .filter(step -> step.condition() == Step.Condition.ALWAYS)
                    .forEach(step -> step.dataset().ifPresent(unconditional::add));
            return List.of(new AuditRun(Set.copyOf(scripts.datasets()), true, longLines()), new AuditRun(unconditional, false, List.of()));
        }

        /** The fixture's first file as one with a line over load.max-line-bytes, so that {@code {{#long_lines}}} renders. */
        private List<Map<String, Object>> longLines()
        {
            return List.of(Map.of("file", context.fixture().sourceFiles().get(0).location().uri(), "lines", 1, "longest_bytes", 20_000_000L, "longest_from", 0L));
        }

        /**
         * Renders one audit as a load renders it once the steps have run; the other audits are left
         * out (none depends on another).
         */
        private RenderedScript renderAudit(Audit audit, String template, AuditRun run)
        {
            Audit linted = new Audit(audit.name(), audit.file(), template, audit.checksum(), audit.severity());
            PlanRenderer planRenderer = planRenderer(scripts.steps(), List.of(linted), List.of());
            return planRenderer.audits(renderContext(run.recentDays()), run.written(), run.longLines()).get(linted);
        }

        /** Renders one callback as a load renders it, with the steps' stand-ins (see {@link #renderStep}) and no audit. */
        private RenderedScript renderCallback(Callback callback, String template)
        {
            Callback linted = new Callback(callback.event(), callback.file(), template, callback.checksum());
            Plan plan = planRenderer(standIns(), List.of(), List.of(linted)).render(renderContext(true));
            return plan.callbacks(callback.event()).get(0);
        }

        /** The steps, each with {@link #STAND_IN} for its template. */
        private List<Step> standIns()
        {
            return scripts.steps().stream().map(step -> withTemplate(step, STAND_IN)).toList();
        }

        private static Step withTemplate(Step step, String template)
        {
            return new Step(step.name(), step.file(), template, step.checksum(), step.dataset(), step.condition(), step.scope(), step.summary(), step.showOrder());
        }

        private PlanRenderer planRenderer(List<Step> steps, List<Audit> audits, List<Callback> callbacks)
        {
            return new PlanRenderer(new Scripts(steps, audits, callbacks), renderer);
        }

        /**
         * The fixture's partition and files, and the parameters a load adds for the audits (as
         * Pipeline does): its default thresholds, the fixture's recent days (each published with
         * every dataset) or none, and a partition never published before (no rows).
         */
        private RenderContext renderContext(boolean withRecentDays)
        {
            LintFixture fixture = context.fixture();
            Map<String, Object> publishedRows = new LinkedHashMap<>();
            scripts.datasets().forEach(dataset -> publishedRows.put(dataset, 0L));
            List<Map<String, Object>> recentDays = new ArrayList<>();
            List<Partition> days = withRecentDays ? fixture.recentDays() : List.of();
            for (int i = 0; i < days.size(); i++) {
                Partition day = days.get(i);
                Map<String, Object> published = new LinkedHashMap<>();
                scripts.datasets().forEach(dataset -> published.put(dataset, new PublishedPrefix(fixture.output(), dataset, day).prefix()));
                recentDays.add(Map.of("date", day.day().toString(), "year", day.year(), "month", day.month(), "day", day.dayOfMonth(), "published", published,
                        "last", i == days.size() - 1));
            }
            Map<String, Object> parameters = Map.of("max_reject_ratio", 0.01, "min_volume_ratio", 0.5, "recent_days", recentDays, "any_recent_day",
                    !recentDays.isEmpty(), "published_rows", publishedRows);
            return new RenderContext(fixture.partition(), context.engine(), fixture.sourceFolder(), fixture.sourceFiles(), fixture.output(), LintFixture.RUN,
                    Settings.defaultSettings(), parameters);
        }

        /**
         * A run an audit is rendered for: the datasets its steps wrote, whether recent days were
         * published, and the {@code long_lines} its source had.
         */
        private record AuditRun(Set<String> written, boolean recentDays, List<Map<String, Object>> longLines)
        {
            AuditRun
            {
                written = Set.copyOf(requireNonNull(written, "written is null"));
                longLines = List.copyOf(requireNonNull(longLines, "longLines is null"));
            }
        }
    }
}
