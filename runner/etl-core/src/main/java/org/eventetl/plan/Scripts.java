package org.eventetl.plan;

import java.util.List;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Everything {@code sql/} holds, resolved and ordered: the steps, the audits and the callbacks. */
public record Scripts(List<Step> steps, List<Audit> audits, List<Callback> callbacks)
{
    public Scripts
    {
        steps = List.copyOf(requireNonNull(steps, "steps is null"));
        audits = List.copyOf(requireNonNull(audits, "audits is null"));
        callbacks = List.copyOf(requireNonNull(callbacks, "callbacks is null"));
    }

    /** The datasets the steps write, in step order: what a run stages and publishes. */
    public List<String> datasets()
    {
        return steps.stream().map(Step::dataset).flatMap(Optional::stream).distinct().toList();
    }

    /** The order {@code etl show} prints a dataset in, as the header of a step that writes it says ({@link Step#showOrder()}). */
    public Optional<String> showOrder(String dataset)
    {
        return steps.stream().filter(step -> step.dataset().equals(Optional.of(dataset))).flatMap(step -> step.showOrder().stream()).findFirst();
    }

    public List<Callback> callbacks(Callback.Event event)
    {
        return callbacks.stream().filter(callback -> callback.event() == event).toList();
    }
}
