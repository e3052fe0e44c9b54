package org.eventetl.lint;

import java.util.EnumSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every step and every audit has a section for every engine ({@code {{#duckdb}}}, {@code {{#trino}}},
 * {@code {{#athena}}}, or its dialect's, {@code {{#trino_sql}}}) and it renders at least one
 * statement: the runner refuses a step or an audit that has nothing to run on the engine it loads
 * with, so without this a load on that engine stops there. A callback without a section for an
 * engine has nothing to do there, so callbacks are not held to this.
 */
final class EngineSectionRule
        implements LintRule
{
    @Override
    public String id()
    {
        return "engine-section";
    }

    @Override
    public String description()
    {
        return "every step and audit has a {{#engine}} (or {{#dialect_sql}}) section for every engine, and it renders at least one statement";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return EnumSet.of(LintedStep.Kind.STEP, LintedStep.Kind.AUDIT);
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        String engine = step.engine().id();
        // a section for the engine's dialect ({{#trino_sql}}, which Athena runs too) serves as well
        String dialect = step.engine().dialect() + "_sql";
        OptionalInt section = step.template().sectionLine(engine);
        String name = engine;
        if (section.isEmpty()) {
            section = step.template().sectionLine(dialect);
            name = dialect;
        }
        if (section.isEmpty()) {
            findings.add(step.atLine(this, 1, "no {{#" + engine + "}} or {{#" + dialect + "}} section: the " + step.kind().noun() + " cannot run on " + engine));
        }
        else if (step.rendering() == LintedStep.Rendering.NO_STATEMENT) {
            findings.add(step.atLine(this, section.getAsInt(), "the {{#" + name + "}} section renders no statement"));
        }
    }
}
