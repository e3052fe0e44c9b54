package org.eventetl.render;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eventetl.plan.Audit;
import org.eventetl.plan.Callback;

import static java.util.Objects.requireNonNull;

/**
 * A run rendered before anything runs: what it was rendered from, its steps, its audits (each
 * with its severity; rendered again once the steps have run) and its callbacks by event. A template that does not render stops the run before a file is written.
 */
public record Plan(RenderContext context, List<RenderedStep> steps, Map<Audit, RenderedScript> audits, Map<Callback.Event, List<RenderedScript>> callbacks)
{
    public Plan
    {
        requireNonNull(context, "context is null");
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        audits = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(audits, "audits is null")));
        callbacks = Map.copyOf(requireNonNull(callbacks, "callbacks is null"));
    }

    public List<RenderedScript> callbacks(Callback.Event event)
    {
        return callbacks.getOrDefault(event, List.of());
    }
}
