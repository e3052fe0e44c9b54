package org.eventetl.testing;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Compares two collections as multisets, reporting only the elements that differ (fast for tens of thousands). */
public final class Multisets
{
    private Multisets() {}

    public static <T> void assertSameElements(String what, Collection<T> actual, Collection<T> expected)
    {
        Map<T, Long> difference = new HashMap<>();
        actual.forEach(element -> difference.merge(element, 1L, Long::sum));
        expected.forEach(element -> difference.merge(element, -1L, Long::sum));
        difference.values().removeIf(count -> count == 0);
        assertThat(actual).as(what + ": size").hasSameSizeAs(expected);
        assertThat(difference).as(what + ": elements written more (+) or fewer (-) times than expected").isEmpty();
    }
}
