package org.eventetl.load;

import java.util.Optional;

import org.eventetl.storage.Location;

/**
 * The reject accounting of design section 3: non-blank lines that are not JSON objects.
 *
 * @param lines non-blank lines scanned
 * @param events lines that are events (JSON objects)
 * @param rejects lines that are not
 * @param unkept rejects the line reader could not keep verbatim (control bytes that split a line)
 * @param location where the kept rejects are, when there are any
 */
public record Rejects(long lines, long events, long rejects, long unkept, Optional<Location> location)
{
    public double ratio()
    {
        return lines == 0 ? 0 : (double) rejects / lines;
    }
}
