package org.eventetl.model;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.eventetl.engine.QueryRows;

import static org.assertj.core.api.Assertions.assertThat;

final class TestTerminalText
{
    /** A country a probe loaded: it retitled the terminal, cleared it, recoloured it and forged a line. */
    private static final String HOSTILE = "\u001b]0;PWNED\u0007\u001b[2J\u001b[31mX\nfake: all good\u0000";

    @Test
    void controlCharactersAreEscaped()
    {
        assertThat(TerminalText.escaped(HOSTILE)).isEqualTo("\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mX\\nfake: all good\\x00");
        assertThat(TerminalText.escaped("a\tb\rc\\d\u009bE\u007f")).isEqualTo("a\\tb\\rc\\\\d\\x9bE\\x7f");
    }

    @Test
    void reorderingAndInvisibleCharactersAreEscapedAndOthersKept()
    {
        // a right-to-left override printed "GH" as "HG", a mark or a zero-width space hid that "GH " was not "GH"
        assertThat(TerminalText.escaped("\u202eHG")).isEqualTo("\\u202eHG");
        assertThat(TerminalText.escaped("GH\u200f")).isEqualTo("GH\\u200f");
        assertThat(TerminalText.escaped("\u200bGH\ufeff")).isEqualTo("\\u200bGH\\ufeff");
        // half a character alone; a whole one beyond the first 65,536, and letters of any script, as they are
        assertThat(TerminalText.escaped("a\ud800b")).isEqualTo("a\\ud800b");
        assertThat(TerminalText.escaped("Côte d’Ivoire 🌍 ایران")).isEqualTo("Côte d’Ivoire 🌍 ایران");
    }

    @Test
    void aLongValueIsCutAndCounted()
    {
        String value = "X".repeat(1_000_000);
        String shown = TerminalText.shortened(value);
        assertThat(shown).startsWith("X".repeat(TerminalText.SHOWN_CHARACTERS) + "…(")
                .endsWith("(" + (1_000_000 - TerminalText.SHOWN_CHARACTERS) + " more characters)");
        assertThat(TerminalText.shortened("GH")).isEqualTo("GH");
    }

    @Test
    void aMessageIsOneLineWithItsBackslashesKept()
    {
        assertThat(TerminalText.oneLine("  audit A4 failed: country=" + HOSTILE + "\n  more \r\n C:\\data "))
                .isEqualTo("audit A4 failed: country=\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mX fake: all good\\x00 more C:\\data");
    }

    /** An audit's row reaches the summary, the failure's line and the history: each value escaped and cut. */
    @Test
    void anAuditsRowIsDescribedSafely()
    {
        QueryRows rows = new QueryRows(List.of("country", "devices"), List.of(List.of(HOSTILE, "1"), List.of("Y".repeat(5_000), "2")), false);
        assertThat(rows.describe(0)).isEqualTo("country=\\x1b]0;PWNED\\x07\\x1b[2J\\x1b[31mX\\nfake: all good\\x00, devices=1");
        assertThat(rows.describe(1)).hasSizeLessThan(300).endsWith("(4800 more characters), devices=2");
    }
}
