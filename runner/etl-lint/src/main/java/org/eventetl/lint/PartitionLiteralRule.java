package org.eventetl.lint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Set;

/**
 * No partition value is written literally ({@link PartitionLiterals}): on the template lines this
 * engine renders, and in the partials those lines include, reported in the partial's own file. It
 * looks at the template, not at the rendering, so it also runs on a file that does not render.
 */
final class PartitionLiteralRule
        implements LintRule
{
    @Override
    public String id()
    {
        return "partition-literal";
    }

    @Override
    public String description()
    {
        return "no partition value (a year, a date, brand=…, brand = 'olx') is written literally: it comes from the parameters";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return EnumSet.allOf(LintedStep.Kind.class);
    }

    @Override
    public void check(LintedStep step, Findings findings)
            throws IOException
    {
        TemplateText template = step.template();
        Set<Integer> shown = step.shownLines();
        for (PartitionLiterals.Literal literal : PartitionLiterals.find(template.masked())) {
            if (shown.contains(template.lineOf(literal.offset()))) {
                findings.add(step.inText(this, template, literal.offset(), literal.message()));
            }
        }
        Set<String> seen = new HashSet<>();
        for (TemplateText.Include include : template.partials()) {
            if (shown.contains(include.line())) {
                partial(step, include.name(), seen, findings);
            }
        }
    }

    private void partial(LintedStep step, String name, Set<String> seen, Findings findings)
            throws IOException
    {
        Path folder = step.context().templatesFolder();
        Path file = folder.resolve(name + ".mustache");
        if (!seen.add(name) || !Files.isRegularFile(file)) {
            // a missing partial does not render: the template-renders rule says so
            return;
        }
        TemplateText partial = new TemplateText(folder.getFileName() + "/" + name + ".mustache", Files.readString(file, StandardCharsets.UTF_8));
        for (PartitionLiterals.Literal literal : PartitionLiterals.find(partial.masked())) {
            findings.add(step.inText(this, partial, literal.offset(), literal.message()));
        }
        for (TemplateText.Include include : partial.partials()) {
            partial(step, include.name(), seen, findings);
        }
    }
}
