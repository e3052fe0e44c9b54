package org.eventetl.storage;

import java.util.List;

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

    /** A mistyped URI was taken for a local folder ("s3:etl/out" published under ./s3:etl/out, exit 0), and a key spelt as a path for a prefix of its own. */
    @Test
    void aMistypedUriIsRefused()
    {
        for (String mistyped : List.of("s3:etl/out", "S3:etl", "gs:bucket/x", "https:host/x")) {
            assertThatThrownBy(() -> Location.of(mistyped)).as(mistyped).hasMessageContaining("neither a local folder nor s3://bucket/prefix");
        }
        assertThat(Location.of("./s3:etl").uri()).endsWith("/s3:etl");
        assertThat(Location.of("data:2017").isS3()).isFalse();
        for (String path : List.of("s3://etl//out", "s3://etl/./out", "s3://etl/raw/../out", "s3://etl/a/./")) {
            assertThatThrownBy(() -> Location.of(path)).as(path).hasMessageContaining("holds an empty, '.' or '..' part");
        }
        for (String prefix : List.of("s3://etl", "s3://etl/", "s3://etl/out", "s3://etl/out/", "s3://etl/a.b/..c/out")) {
            assertThat(Location.of(prefix).isS3()).as(prefix).isTrue();
        }
    }
}
