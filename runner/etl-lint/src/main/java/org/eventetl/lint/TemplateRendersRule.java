package org.eventetl.lint;

import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The template renders: Mustache compiles it with its partials (a partial that is not there, a
 * section that is not closed) for every engine, as a load would. Mustache says where it stopped;
 * an error in a partial is shown at the file's line that includes it, with the partial's line.
 */
final class TemplateRendersRule
        implements LintRule
{
    private static final Pattern MUSTACHE_LOCATION = Pattern.compile("\\s*@\\[([^\\]]*):([0-9]+)]");
    private static final Pattern MUSTACHE_NOT_FOUND = Pattern.compile("Template (\\S+) not found");
    /** What Mustache puts before its location in some messages, saying the same: {@code … in sql/V5__dau.sql:10 @[sql/V5__dau.sql:10]}. */
    private static final Pattern MUSTACHE_IN_FILE = Pattern.compile("\\s+in\\s+(\\S+):([0-9]+)\\s*$");
    /** A section closed by another name; a close tag that lost a brace runs on to the next tag's. */
    private static final Pattern MISMATCHED = Pattern.compile("Mismatched start/end tags: (\\S+) != (.*)", Pattern.DOTALL);

    @Override
    public String id()
    {
        return "template-renders";
    }

    @Override
    public String description()
    {
        return "the template and its partials render with Mustache (no missing partial, no unclosed section)";
    }

    @Override
    public Set<LintedStep.Kind> appliesTo()
    {
        return EnumSet.allOf(LintedStep.Kind.class);
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        if (step.rendering() != LintedStep.Rendering.FAILED) {
            return;
        }
        Throwable failure = step.failure().orElseThrow();
        failure = failure.getCause() == null ? failure : failure.getCause();
        TemplateText template = step.template();
        String message = String.valueOf(failure.getMessage());
        int line = 1;
        Matcher location = MUSTACHE_LOCATION.matcher(message);
        Matcher notFound = MUSTACHE_NOT_FOUND.matcher(message);
        if (location.find()) {
            String file = location.group(1);
            int where = Integer.parseInt(location.group(2));
            message = MUSTACHE_IN_FILE.matcher(message.replace(location.group(), "")).replaceFirst("");
            if (file.equals(template.file())) {
                line = where;
            }
            else {
                line = template.partialLine(file).orElse(1);
                message += " (" + step.context().templatesFolder().getFileName() + "/" + file + " line " + where + ")";
            }
        }
        else if (notFound.find()) {
            line = template.partialLine(notFound.group(1)).orElse(1);
        }
        Matcher mismatched = MISMATCHED.matcher(message.strip());
        if (mismatched.matches()) {
            String closing = mismatched.group(2).strip();
            message = "{{#" + mismatched.group(1) + "}} is closed by {{/" + closing.replaceAll("\\s+", " ") + "}}"
                    + (closing.contains("{") || closing.contains("}") ? ": a tag is missing a brace of its }}" : "");
        }
        findings.add(step.atLine(this, line, "cannot render: " + message.strip()));
    }
}
