package org.eventetl.render;

import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import com.github.mustachejava.reflect.ReflectionObjectHandler;
import com.github.mustachejava.util.Wrapper;

import org.eventetl.model.TextFiles;
import org.eventetl.model.UserException;
import org.eventetl.plan.Step;

import static java.util.Objects.requireNonNull;

/**
 * Renders a step's Mustache template with the partition's parameters. Partials ({@code {{> name}}})
 * come from {@code templates/name.mustache}. Every {@code {{value}}} is escaped for a SQL string
 * literal (a quote is doubled), so a value can never end the literal it sits in; the partition's
 * values are validated before they get here anyway.
 */
public final class SqlRenderer
{
    private final SqlMustacheFactory factory;

    public SqlRenderer(Path templatesFolder)
    {
        this.factory = new SqlMustacheFactory(requireNonNull(templatesFolder, "templatesFolder is null").toFile());
    }

    public String render(Step step, Map<String, Object> parameters)
    {
        return render(step.file(), step.template(), parameters);
    }

    /**
     * Compiles a file of sql/ without rendering it: its sections closed, its partials there and
     * readable. What depends on the parameters (a name no parameter answers) shows only at render.
     */
    public void compile(String file, String template)
    {
        try {
            factory.compile(new StringReader(template), file);
        }
        catch (MustacheException e) {
            throw new UserException(file + ": cannot render: " + e.getMessage(), e);
        }
    }

    /** Renders any SQL file of sql/ (a step, an audit, a callback); {@code file} names it in errors. */
    public String render(String file, String template, Map<String, Object> parameters)
    {
        try {
            Mustache mustache = factory.compile(new StringReader(template), file);
            StringWriter out = new StringWriter();
            mustache.execute(out, parameters);
            return tidy(out.toString());
        }
        catch (MustacheException e) {
            throw new UserException(file + ": cannot render: " + e.getMessage(), e);
        }
    }

    /** Drops the blank lines that section tags leave behind, so the rendered SQL reads like hand-written SQL. */
    private static String tidy(String sql)
    {
        String collapsed = sql.replaceAll("(?m)^[ \\t]+$", "").replaceAll("\n{3,}", "\n\n");
        return collapsed.strip() + "\n";
    }

    /**
     * Mustache renders an unknown name as nothing; in SQL that turns {@code '{{locations.event}}*.parquet'}
     * into {@code '*.parquet'}, a read of whatever folder the process runs in. A name that no
     * parameter answers is an error instead.
     */
    private static final class StrictObjectHandler
            extends ReflectionObjectHandler
    {
        @Override
        public Wrapper find(String name, List<Object> scopes)
        {
            Wrapper wrapper = super.find(name, scopes);
            return callScopes -> {
                Object value = wrapper.call(callScopes);
                if (value == null) {
                    throw new MustacheException("no parameter named '" + name + "'");
                }
                return value;
            };
        }
    }

    private static final class SqlMustacheFactory
            extends DefaultMustacheFactory
    {
        private final File templatesFolder;

        SqlMustacheFactory(File templatesFolder)
        {
            super(templatesFolder);
            this.templatesFolder = templatesFolder;
            setObjectHandler(new StrictObjectHandler());
        }

        @Override
        public String resolvePartialPath(String dir, String name, String extension)
        {
            // partials always live in templates/ as .mustache, whatever the including file is called
            return name + ".mustache";
        }

        @Override
        public Reader getReader(String resourceName)
        {
            // a partial sits inside a line of SQL: its file's final newline must not break that line
            File file = new File(templatesFolder, resourceName);
            if (!file.isFile()) {
                // the library's own refusal of a missing or escaping partial, which names it
                try (Reader reader = super.getReader(resourceName)) {
                    StringWriter text = new StringWriter();
                    reader.transferTo(text);
                    return new StringReader(text.toString().stripTrailing());
                }
                catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            try {
                return new StringReader(TextFiles.readUtf8(file.toPath()).stripTrailing());
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void encode(String value, Writer writer)
        {
            try {
                writer.write(value.replace("'", "''"));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
