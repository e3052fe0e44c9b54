package org.eventetl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

import org.eventetl.lint.Finding;
import org.eventetl.lint.LintReport;
import org.eventetl.lint.Linter;
import org.eventetl.model.EngineKind;
import org.eventetl.model.UserException;
import org.eventetl.storage.LocalFolders;

/**
 * {@code etl lint}: renders every step for every engine on a made-up partition and reports, one
 * line each, what a load would trip over ({@link Linter}). Exits 1 when there is any finding, so
 * that {@code make lint} and CI stop on it. Touches no data: its fixture lives in a temporary
 * folder that is removed afterwards.
 */
final class LintCommand
        implements Command
{
    @Override
    public String name()
    {
        return "lint";
    }

    @Override
    public String summary()
    {
        return "check every step on every engine (" + EngineKind.ids() + ") without touching data; exit 1 on findings";
    }

    @Override
    public String usage()
    {
        return "[--sql-dir DIR] [--templates-dir DIR] [--rules]";
    }

    @Override
    public Options options()
    {
        return new Options()
                .addOption(Option.builder().longOpt("sql-dir").hasArg().argName("DIR").desc("the steps to lint (default <project>/sql)").get())
                .addOption(Option.builder().longOpt("templates-dir").hasArg().argName("DIR").desc("the partials they include (default <project>/templates)").get())
                .addOption(Option.builder().longOpt("rules").desc("list what each rule checks and exit; a finding names its rule: "
                        + String.join(", ", Linter.rules().keySet())).get());
    }

    @Override
    public int run(CommandLine line, Console console)
            throws Exception
    {
        if (line.hasOption("rules")) {
            Linter.rules().forEach((id, description) -> console.out().printf("%-26s %s%n", id, description));
            return ExitCode.DONE;
        }
        Path sqlFolder = folder(line, "sql-dir", console.sqlFolder());
        Path templatesFolder = folder(line, "templates-dir", console.templatesFolder());
        Path workFolder = Files.createTempDirectory("etl-lint-");
        LintReport report;
        try {
            report = new Linter(sqlFolder, templatesFolder, workFolder).lint();
        }
        catch (UserException e) {
            // a file that stops every command (a bad name, a bad header) is named as findings are
            if (!line.hasOption("sql-dir")) {
                throw e;
            }
            throw new UserException(e.getMessage().replace(sqlFolder.getFileName() + "/", given(line, "sql-dir") + "/"), e);
        }
        finally {
            delete(workFolder);
        }
        String scope = report.scope();
        if (report.clean()) {
            console.out().println("lint: " + scope + ", no findings");
            return ExitCode.DONE;
        }
        for (Finding finding : report.findings()) {
            console.out().println(shown(finding, line, sqlFolder, templatesFolder));
        }
        int count = report.findings().size();
        console.err().println("lint: " + count + " finding" + (count == 1 ? "" : "s") + " in " + scope);
        // a finding is a step that would fail (or do harm) when it runs: the exit code of a failed step
        return ExitCode.STEP_FAILED;
    }

    /**
     * A finding names its file by the folder's own name ({@code sql/V5__dau.sql}), which is the
     * path from the project. A folder given by a flag is named as the user gave it, so that an
     * editor or a CI log can open the file from where lint ran.
     */
    private static Finding shown(Finding finding, CommandLine line, Path sqlFolder, Path templatesFolder)
    {
        String file = finding.file();
        for (Map.Entry<String, Path> flag : Map.of("sql-dir", sqlFolder, "templates-dir", templatesFolder).entrySet()) {
            String named = flag.getValue().getFileName() + "/";
            if (line.hasOption(flag.getKey()) && file.startsWith(named)) {
                return new Finding(given(line, flag.getKey()) + "/" + file.substring(named.length()), finding.line(), finding.column(),
                        finding.engine(), finding.rule(), finding.message());
            }
        }
        return finding;
    }

    /** A folder flag's value as the user typed it, without its trailing slashes ("" for the root). */
    private static String given(CommandLine line, String flag)
    {
        return line.getOptionValue(flag).strip().replaceAll("/+$", "");
    }

    private static Path folder(CommandLine line, String flag, Path fallback)
    {
        Path folder = line.hasOption(flag) ? Path.of(line.getOptionValue(flag)).toAbsolutePath().normalize() : fallback;
        if (!Files.isDirectory(folder)) {
            throw new UserException(line.hasOption(flag) ? "--" + flag + " " + folder + " is not a folder"
                    : "no " + folder.getFileName() + "/ folder at " + folder + "; run from the project (or set ETL_HOME), or give --" + flag);
        }
        return folder;
    }

    private static void delete(Path folder)
            throws IOException
    {
        LocalFolders.deleteTree(folder);
    }
}
