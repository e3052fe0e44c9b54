package org.eventetl.plan;

import static java.util.Objects.requireNonNull;

/**
 * An audit as found under {@code sql/}: a SELECT over the run's staged outputs that returns the
 * rows breaking an expectation (no rows: it passes), as dbt's tests are written. It runs after
 * every step and before anything is published.
 */
public record Audit(AuditName name, String file, String template, String checksum, Severity severity)
{
    public Audit
    {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(template, "template is null");
        requireNonNull(checksum, "checksum is null");
        requireNonNull(severity, "severity is null");
    }

    public String id()
    {
        return name.id();
    }

    /** What a failed audit does to the run ({@code -- severity:} in its header). */
    public enum Severity
    {
        /** Nothing is published; the run fails (exit 1) and its staged outputs are kept for inspection. */
        ERROR,
        /** The summary warns and the run publishes, unless the run is strict about audits: then as ERROR. */
        WARNING,
    }
}
