package org.eventetl.load;

/**
 * Whether the person running a load has asked it to stop (Ctrl-C). The engine's running statement
 * is cancelled separately; this is asked where a run may stop without leaving anything half done:
 * after the audits, before the publish. Once the publish has begun it finishes, since half a
 * publish leaves the day's datasets a mix of two runs.
 */
@FunctionalInterface
public interface StopSignal
{
    StopSignal NEVER = () -> false;

    boolean requested();
}
