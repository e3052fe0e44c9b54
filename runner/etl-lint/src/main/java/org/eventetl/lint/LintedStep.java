package org.eventetl.lint;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eventetl.model.EngineKind;
import org.eventetl.render.RenderedScript;
import org.eventetl.render.RenderedStep;

import static java.util.Objects.requireNonNull;

/**
 * One file of {@code sql/} (a step, an audit or a callback: its {@link Kind}) rendered for one
 * engine, as every {@link LintRule} sees it: the template, how its rendering went, the rendered
 * statements traced back to template lines and columns, what the engine said of them, and which
 * earlier steps could not run on the fixture. It also turns a place in the rendered SQL or in a
 * template into a {@link Finding}.
 */
final class LintedStep
{
    /** The kinds of file under {@code sql/}, in the order a run meets them (ScriptResolver tells them apart). */
    enum Kind
    {
        /** {@code V<n>__name.sql}: writes a dataset's staged prefix; must run on every engine */
        STEP,
        /** {@code A<n>__name.sql}: a query over the staged outputs whose rows break an expectation; must run on every engine */
        AUDIT,
        /** {@code afterPublish…}, {@code afterRun…}: runs at a moment of the run; without a section for an engine, it has nothing to do there */
        CALLBACK;

        /** How a message names a file of this kind: "the audit cannot run on athena". */
        String noun()
        {
            return switch (this) {
                case STEP -> "step";
                case AUDIT -> "audit";
                case CALLBACK -> "callback";
            };
        }
    }

    enum Rendering
    {
        RENDERED,
        /** the engine's section is missing or renders no statement (the runner refuses such a step or audit) */
        NO_STATEMENT,
        /** Mustache could not render the template */
        FAILED,
    }

    /** What one engine's lint run shares between its steps. */
    record Context(EngineKind engine, EngineLint engineLint, WriteTargets writeTargets, LintFixture fixture, Path templatesFolder)
    {
        Context
        {
            requireNonNull(engine, "engine is null");
            requireNonNull(engineLint, "engineLint is null");
            requireNonNull(writeTargets, "writeTargets is null");
            requireNonNull(fixture, "fixture is null");
            requireNonNull(templatesFolder, "templatesFolder is null");
        }
    }

    /**
     * What a file rendered to: its SQL and statements, and for a step the {@link RenderedStep} that
     * a load would run (the rules for steps read its target).
     */
    record Rendered(String sql, List<String> statements, Optional<RenderedStep> step)
    {
        Rendered
        {
            requireNonNull(sql, "sql is null");
            statements = List.copyOf(requireNonNull(statements, "statements is null"));
            requireNonNull(step, "step is null");
        }

        static Rendered of(RenderedStep step)
        {
            return new Rendered(step.sql(), step.statements(), Optional.of(step));
        }

        static Rendered of(RenderedScript script)
        {
            return new Rendered(script.sql(), script.statements(), Optional.empty());
        }
    }

    /** The earlier steps that did not run completely on the fixture, and the prefixes they left empty. */
    record EarlierFailures(List<String> steps, List<String> prefixes)
    {
        EarlierFailures
        {
            steps = List.copyOf(requireNonNull(steps, "steps is null"));
            prefixes = List.copyOf(requireNonNull(prefixes, "prefixes is null"));
        }
    }

    private final Context context;
    private final Kind kind;
    private final TemplateText template;
    private final Rendering rendering;
    private final Optional<Rendered> rendered;
    private final Optional<Throwable> failure;
    private final LineMap lines;
    private final StepCheck engineCheck;
    private final EarlierFailures earlierFailures;
    private final int[] statementOffsets;

    private LintedStep(Context context, Kind kind, TemplateText template, Rendering rendering, Optional<Rendered> rendered, Optional<Throwable> failure,
            LineMap lines, StepCheck engineCheck, EarlierFailures earlierFailures)
    {
        this.context = requireNonNull(context, "context is null");
        this.kind = requireNonNull(kind, "kind is null");
        this.template = requireNonNull(template, "template is null");
        this.rendering = requireNonNull(rendering, "rendering is null");
        this.rendered = requireNonNull(rendered, "rendered is null");
        this.failure = requireNonNull(failure, "failure is null");
        this.lines = requireNonNull(lines, "lines is null");
        this.engineCheck = requireNonNull(engineCheck, "engineCheck is null");
        this.earlierFailures = requireNonNull(earlierFailures, "earlierFailures is null");
        this.statementOffsets = rendered.map(LintedStep::statementOffsets).orElse(new int[0]);
    }

    static LintedStep rendered(Context context, Kind kind, TemplateText template, Rendered rendered, LineMap lines, StepCheck engineCheck,
            EarlierFailures earlierFailures)
    {
        if (rendered.step().isPresent() != (kind == Kind.STEP)) {
            throw new IllegalArgumentException("a step, and only a step, renders to a RenderedStep: " + template.file());
        }
        return new LintedStep(context, kind, template, Rendering.RENDERED, Optional.of(rendered), Optional.empty(), lines, engineCheck, earlierFailures);
    }

    /** A file that did not render ({@link Rendering#NO_STATEMENT} or {@link Rendering#FAILED}), and why. */
    static LintedStep notRendered(Context context, Kind kind, TemplateText template, Rendering rendering, Throwable failure, EarlierFailures earlierFailures)
    {
        if (rendering == Rendering.RENDERED) {
            throw new IllegalArgumentException("a rendered file has its rendering");
        }
        return new LintedStep(context, kind, template, rendering, Optional.empty(), Optional.of(failure), LineMap.uniform("", 1),
                new StepCheck(List.of(), false), earlierFailures);
    }

    EngineKind engine()
    {
        return context.engine();
    }

    Context context()
    {
        return context;
    }

    Kind kind()
    {
        return kind;
    }

    TemplateText template()
    {
        return template;
    }

    Rendering rendering()
    {
        return rendering;
    }

    /** The step as a load would run it; empty for an audit or a callback, and for a step that did not render. */
    Optional<RenderedStep> rendered()
    {
        return rendered.flatMap(Rendered::step);
    }

    /** The rendered SQL, empty when the file did not render. */
    Optional<String> sql()
    {
        return rendered.map(Rendered::sql);
    }

    Optional<Throwable> failure()
    {
        return failure;
    }

    /** The rendered statements, none when the file did not render. */
    List<String> statements()
    {
        return rendered.map(Rendered::statements).orElse(List.of());
    }

    StepCheck engineCheck()
    {
        return engineCheck;
    }

    EarlierFailures earlierFailures()
    {
        return earlierFailures;
    }

    /** Whether everything that writes ran on the fixture, so that later steps find what this one writes. */
    boolean complete()
    {
        return rendering == Rendering.RENDERED && engineCheck.complete();
    }

    /**
     * The template lines this engine's rendering shows: those the rendering traces back to, or when
     * it did not render (or could not be traced), those outside the other engines' sections.
     */
    Set<Integer> shownLines()
    {
        return lines.renderedLines().isEmpty() ? template.linesShownTo(sections(engine())) : lines.renderedLines();
    }

    /**
     * The sections whose rendering depends on the engine, and whether it renders each: its own and
     * its dialect's ({@code {{#trino_sql}}} for Trino and Athena), as PlanRenderer sets them.
     */
    static Map<String, Boolean> sections(EngineKind engine)
    {
        Map<String, Boolean> sections = new HashMap<>();
        for (EngineKind kind : EngineKind.values()) {
            sections.put(kind.id(), kind == engine);
            sections.put(kind.dialect() + "_sql", kind.dialect().equals(engine.dialect()));
        }
        return Map.copyOf(sections);
    }

    /** A finding at a character of the rendered SQL. */
    Finding atRendered(LintRule rule, int offset, String message)
    {
        return new Finding(template.file(), lines.line(offset), lines.column(offset), engine().id(), rule.id(), message);
    }

    /** A finding at a character of one rendered statement. */
    Finding atStatement(LintRule rule, int statement, int offset, String message)
    {
        return atRendered(rule, statementOffsets[statement] + offset, message);
    }

    /** A finding at a template line, when nothing says which column. */
    Finding atLine(LintRule rule, int line, String message)
    {
        return new Finding(template.file(), line, 1, engine().id(), rule.id(), message);
    }

    /** A finding at a character of a template or a partial, as written. */
    Finding inText(LintRule rule, TemplateText text, int offset, String message)
    {
        return new Finding(text.file(), text.lineOf(offset), text.columnOf(offset), engine().id(), rule.id(), message);
    }

    /** Where each statement starts in the rendered SQL: statements are its text, stripped, in order. */
    private static int[] statementOffsets(Rendered rendered)
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
}
