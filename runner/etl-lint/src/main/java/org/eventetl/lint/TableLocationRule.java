package org.eventetl.lint;

import java.util.List;
import java.util.Optional;

import org.eventetl.model.EngineKind;

/**
 * Athena's external tables lie over the right files: the raw table, {@value #RAW_TABLE}, at the
 * source root {@code {{source}}/} (the steps read the source lines through it,
 * {@code templates/json_event_fields.mustache} and V3), every other table at the root
 * {@code {{output}}/<dataset>/} of a dataset a step writes. Partition projection finds a day's
 * files through {@code 'storage.location.template'}: it must lie under the table's location, end
 * with {@code /} (so that {@code day=1} never reads {@code day=10}) and name every partition
 * column (or every day reads the same folder). A table over the wrong folder reads the wrong
 * files, or none, without an error.
 */
final class TableLocationRule
        implements LintRule
{
    static final String RAW_TABLE = "raw_lines";

    @Override
    public String id()
    {
        return "table-location";
    }

    @Override
    public String description()
    {
        return "Athena's tables lie at the right root (" + RAW_TABLE + " at {{source}}/, the others at {{output}}/<dataset>/),"
                + " and each storage.location.template under its table's location, naming every partition column";
    }

    @Override
    public void check(LintedStep step, Findings findings)
    {
        if (step.engine() != EngineKind.ATHENA) {
            return;
        }
        List<String> statements = step.statements();
        for (int index = 0; index < statements.size(); index++) {
            Optional<AthenaTable> table = AthenaTable.of(statements.get(index));
            if (table.isPresent()) {
                check(step, index, table.get(), findings);
            }
        }
    }

    private void check(LintedStep step, int statement, AthenaTable table, Findings findings)
    {
        Optional<String> location = table.location();
        if (location.isEmpty()) {
            findings.add(step.atStatement(this, statement, table.nameOffset(), "expected LOCATION '<dataset root>/' (an external table has no location of its own)"));
            return;
        }
        rootProblem(step, table, location.get()).ifPresent(problem -> findings.add(step.atStatement(this, statement, table.locationOffset(), problem)));

        Optional<String> template = table.locationTemplate();
        int templateOffset = table.locationTemplateOffset();
        List<String> partitionColumns = table.partitionColumns();
        if (template.isEmpty()) {
            if (!partitionColumns.isEmpty()) {
                findings.add(step.atStatement(this, statement, templateOffset,
                        "partition projection needs '" + AthenaTable.LOCATION_TEMPLATE + "': the layout is not Hive's default under the location"));
            }
            return;
        }
        if (!template.get().startsWith(location.get())) {
            findings.add(step.atStatement(this, statement, templateOffset, "'" + AthenaTable.LOCATION_TEMPLATE + "' does not lie under the table's location"));
        }
        if (!template.get().endsWith("/")) {
            findings.add(step.atStatement(this, statement, templateOffset, "'" + AthenaTable.LOCATION_TEMPLATE + "' must end with / so that day=1 never matches day=10"));
        }
        for (String column : partitionColumns) {
            if (!template.get().contains("${" + column + "}")) {
                findings.add(step.atStatement(this, statement, templateOffset,
                        "'" + AthenaTable.LOCATION_TEMPLATE + "' does not name ${" + column + "}: every partition would read the same folder"));
            }
        }
    }

    private static Optional<String> rootProblem(LintedStep step, AthenaTable table, String location)
    {
        WriteTargets writeTargets = step.context().writeTargets();
        String sourceRoot = step.context().fixture().sourceRoot().asPrefix();
        boolean atSource = location.equals(sourceRoot);
        boolean atDataset = writeTargets.isDatasetRoot(location);
        if (!atSource && !atDataset) {
            return Optional.of("table location " + writeTargets.shown(location) + " is neither a dataset root {{output}}/<dataset>/ of a step nor the source root {{source}}/");
        }
        boolean raw = table.name().equals(RAW_TABLE);
        if (raw && !atSource) {
            return Optional.of("table " + RAW_TABLE + " reads the source lines: its location is the source root {{source}}/, not " + writeTargets.shown(location));
        }
        if (!raw && atSource) {
            return Optional.of("table " + table.name() + " lies at the source root {{source}}/, which only " + RAW_TABLE + " reads;"
                    + " its location is the root {{output}}/<dataset>/ of the dataset it shows");
        }
        return Optional.empty();
    }
}
