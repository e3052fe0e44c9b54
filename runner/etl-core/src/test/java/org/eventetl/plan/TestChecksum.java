package org.eventetl.plan;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class TestChecksum
{
    private static final String TEMPLATE = "-- Task 2\n{{#duckdb}}\nSELECT country, count(DISTINCT device_id)\nFROM events;\n{{/duckdb}}\n";

    @Test
    void testLineEndingsDoNotMatter()
    {
        String lf = Checksum.of(TEMPLATE);
        assertThat(Checksum.of(TEMPLATE.replace("\n", "\r\n"))).isEqualTo(lf);
        assertThat(Checksum.of(TEMPLATE.replace("\n", "\r"))).isEqualTo(lf);
    }

    @Test
    void testByteOrderMarkDoesNotMatter()
    {
        assertThat(Checksum.of("\uFEFF" + TEMPLATE)).isEqualTo(Checksum.of(TEMPLATE));
        assertThat(Checksum.of("\uFEFF" + TEMPLATE.replace("\n", "\r\n"))).isEqualTo(Checksum.of(TEMPLATE));
    }

    @Test
    void testEditChangesChecksum()
    {
        String checksum = Checksum.of(TEMPLATE);
        assertThat(Checksum.of(TEMPLATE.replace("DISTINCT ", ""))).isNotEqualTo(checksum);
        assertThat(Checksum.of(TEMPLATE.replace("country", "Country"))).isNotEqualTo(checksum);
        assertThat(Checksum.of(TEMPLATE.replace("events;", "events ;"))).isNotEqualTo(checksum);
        assertThat(Checksum.of(TEMPLATE + "-- a new comment\n")).isNotEqualTo(checksum);
    }

    @Test
    void testFormat()
    {
        assertThat(Checksum.of(TEMPLATE)).matches("[0-9a-f]{8}");
        // CRC32 over the line contents without their endings, computed here independently
        CRC32 crc = new CRC32();
        crc.update("SELECT 1".getBytes(StandardCharsets.UTF_8));
        crc.update("FROM t".getBytes(StandardCharsets.UTF_8));
        assertThat(Checksum.of("SELECT 1\r\nFROM t")).isEqualTo(String.format("%08x", crc.getValue()));
    }
}
