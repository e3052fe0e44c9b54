package org.eventetl.lint;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eventetl.model.EngineKind;
import org.eventetl.render.RenderedStep;

import static java.util.Objects.requireNonNull;

/**
 * One step rendered for one engine, as every {@link LintRule} sees it: the template, how its
 * rendering went, the rendered statements traced back to template lines and columns, what the
 * engine said of them, and which earlier steps could not run on the fixture. It also turns a
 * place in the rendered SQL or in a template into a {@link Finding}.
 */
final class LintedStep
{

    enum Rendering
    {
        RENDERED,
        /** the engine's section is missing or renders no statement (the runner refuses such a step) */
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
    private final TemplateText template;
    private final Rendering rendering;
    private final Optional<RenderedStep> rendered;
    private final Optional<Throwable> failure;
    private final LineMap lines;
    private final StepCheck engineCheck;
    private final EarlierFailures earlierFailures;
    private final int[] statementOffsets;

    private LintedStep(Context context, TemplateText template, Rendering rendering, Optional<RenderedStep> rendered, Optional<Throwable> failure,
            LineMap lines, StepCheck engineCheck, EarlierFailures earlierFailures)
    {
        this.context = requireNonNull(context, "context is null");
        this.template = requireNonNull(template, "template is null");
        this.rendering = requireNonNull(rendering, "rendering is null");
        this.rendered = requireNonNull(rendered, "rendered is null");
        this.failure = requireNonNull(failure, "failure is null");
        this.lines = requireNonNull(lines, "lines is null");
        this.engineCheck = requireNonNull(engineCheck, "engineCheck is null");
        this.earlierFailures = requireNonNull(earlierFailures, "earlierFailures is null");
        this.statementOffsets = rendered.map(LintedStep::statementOffsets).orElse(new int[0]);
    }

    static LintedStep rendered(Context context, TemplateText template, RenderedStep rendered, LineMap lines, StepCheck engineCheck, EarlierFailures earlierFailures)
    {
        return new LintedStep(context, template, Rendering.RENDERED, Optional.of(rendered), Optional.empty(), lines, engineCheck, earlierFailures);
    }

    /** A step that did not render ({@link Rendering#NO_STATEMENT} or {@link Rendering#FAILED}), and why. */
    static LintedStep notRendered(Context context, TemplateText template, Rendering rendering, Throwable failure, EarlierFailures earlierFailures)
    {
        if (rendering == Rendering.RENDERED) {
            throw new IllegalArgumentException("a rendered step has its rendering");
        }
        return new LintedStep(context, template, rendering, Optional.empty(), Optional.of(failure), LineMap.uniform("", 1),
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

    TemplateText template()
    {
        return template;
    }

    Rendering rendering()
    {
        return rendering;
    }

    Optional<RenderedStep> rendered()
    {
        return rendered;
    }

    Optional<Throwable> failure()
    {
        return failure;
    }

    /** The rendered statements, none when the step did not render. */
    List<String> statements()
    {
        return rendered.map(RenderedStep::statements).orElse(List.of());
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
}
