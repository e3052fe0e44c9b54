package org.eventetl.storage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a root folder or prefix is written, and how a path below it is named. */
final class TestLocation
{
    @Test
    void aFolderIsWrittenWithoutItsTrailingSlash()
    {
        assertThat(Location.of("/data/out/").uri()).isEqualTo("/data/out");
        assertThat(Location.of("s3://bucket/out//").uri()).isEqualTo("s3://bucket/out");
        assertThat(Location.of("/data/out").resolve("a/b.json").uri()).isEqualTo("/data/out/a/b.json");
        assertThat(Location.of("s3://bucket/out").asPrefix()).isEqualTo("s3://bucket/out/");
    }

    @Test
    void theRootFolderNamesItsChildrenWithOneSlash()
    {
        Location root = Location.of("/");
        assertThat(root.uri()).isEqualTo("/");
        assertThat(root.asPrefix()).isEqualTo("/");
        assertThat(root.resolve("brand=olx/tracker=hydra").uri()).isEqualTo("/brand=olx/tracker=hydra");
        assertThat(root.toRelative(Location.of("/data/out"))).isEqualTo("data/out");
    }

    @Test
    void aPathOutsideTheLocationIsRefused()
    {
        Location output = Location.of("/data/out");
        assertThatThrownBy(() -> output.resolve("../secret")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> output.toRelative(Location.of("/data/outer/x"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Location.of("gs://bucket/x")).hasMessageContaining("neither a local folder nor s3://");
    }
}
