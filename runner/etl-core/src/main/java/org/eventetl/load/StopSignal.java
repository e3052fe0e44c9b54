package org.eventetl.load;

import java.util.Optional;

/**
 * Whether the person or scheduler running a load has asked it to stop (Ctrl-C, SIGTERM). The
 * engine's running statement is cancelled separately; this is asked where a run may stop without
 * leaving anything half done: after the audits, before the publish. Once the publish has begun it
 * finishes, since half a publish leaves the day's datasets a mix of two runs.
 */
@FunctionalInterface
public interface StopSignal
{
    StopSignal NEVER = Optional::empty;

    /** What asked the run to stop, as its user knows it (e.g. {@code Ctrl-C}); empty while it is to go on. */
    Optional<String> requested();
}
