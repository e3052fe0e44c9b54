package org.eventetl.engine;

/** Receives an engine's progress while a step runs: a percentage where the engine has one, else -1. */
@FunctionalInterface
public interface ProgressListener
{
    ProgressListener NONE = (step, percent, elapsedSeconds) -> {};

    void progress(String step, double percent, double elapsedSeconds);
}
