package org.eventetl.geo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Boxes in degrees, as the report frames its maps with them. */
final class TestBoundingBox
{
    private static final BoundingBox GHANA = new BoundingBox(-3.26, 4.74, 1.19, 11.17);

    @Test
    void refusesABoxTurnedInsideOut()
    {
        assertThatThrownBy(() -> new BoundingBox(2, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessage("not a box: 2.0, 0.0, 1.0, 1.0");
        assertThatThrownBy(() -> new BoundingBox(0, 1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new BoundingBox(Double.NaN, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void growsAroundPointsAndOtherBoxes()
    {
        BoundingBox box = BoundingBox.around(-0.187, 5.6037).including(-1.6244, 6.6885).including(-0.8424, 9.4034);

        assertThat(box).isEqualTo(new BoundingBox(-1.6244, 5.6037, -0.187, 9.4034));
        assertThat(box.union(BoundingBox.around(28.0473, -26.2041))).isEqualTo(new BoundingBox(-1.6244, -26.2041, 28.0473, 9.4034));
        assertThat(box.width()).isCloseTo(1.4374, within(1e-9));
        assertThat(box.height()).isCloseTo(3.7997, within(1e-9));
    }

    @Test
    void containsAndIntersectsEdgesIncluded()
    {
        assertThat(GHANA.contains(-0.187, 5.6037)).as("Accra").isTrue();
        assertThat(GHANA.contains(1.19, 11.17)).as("a corner").isTrue();
        assertThat(GHANA.contains(1.2255, 6.1319)).as("Lomé, just east").isFalse();
        assertThat(GHANA.intersects(new BoundingBox(1.19, 0, 5, 4.74))).as("touching at a corner").isTrue();
        assertThat(GHANA.intersects(new BoundingBox(16.5, -34.8, 32.9, -22.1))).as("South Africa").isFalse();
    }

    @Test
    void padsByAShareOrAMinimumAndStaysOnTheMap()
    {
        BoundingBox padded = GHANA.padded(0.1, 0.5);

        // 10% of 4.45° wide is under the 0.5° minimum; 10% of 6.43° high is over it
        assertThat(padded.west()).isCloseTo(-3.76, within(1e-9));
        assertThat(padded.east()).isCloseTo(1.69, within(1e-9));
        assertThat(padded.south()).isCloseTo(4.74 - 0.643, within(1e-9));
        assertThat(padded.north()).isCloseTo(11.17 + 0.643, within(1e-9));
        assertThat(new BoundingBox(-179, -89, 179, 89).padded(0.5, 1)).isEqualTo(new BoundingBox(-180, -90, 180, 90));
    }

    @Test
    void shortensLongitudeByTheLatitudeOfItsMiddle()
    {
        assertThat(new BoundingBox(0, -10, 1, 10).aspectScale()).isCloseTo(1.0, within(1e-9));
        assertThat(new BoundingBox(0, 50, 1, 70).aspectScale()).isCloseTo(0.5, within(1e-9));
        // near the poles it would shrink without end: a map keeps at least a fifth
        assertThat(new BoundingBox(0, 85, 1, 89).aspectScale()).isEqualTo(0.2);
    }
}
