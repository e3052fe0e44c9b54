package org.eventetl.lint;

import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A place a statement writes files to, as the engine's lint found it: what writes ({@code COPY … TO}),
 * the path (empty when it is not a literal the runner can check) and where the path starts in the
 * statement, so that a finding points at its line.
 */
record WriteTarget(String writer, Optional<String> path, int offset)
{
    WriteTarget
    {
        requireNonNull(writer, "writer is null");
        requireNonNull(path, "path is null");
        if (offset < 0) {
            throw new IllegalArgumentException("offset is negative");
        }
    }
}
