package org.eventetl.partition;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class TestPartition
{
    private static final String GOOD = "brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09";

    @Test
    void testParse()
    {
        Partition partition = Partition.parse(GOOD);
        assertThat(partition.brand()).isEqualTo("olx");
        assertThat(partition.tracker()).isEqualTo("hydra");
        assertThat(partition.channel()).isEqualTo("android");
        assertThat(partition.day()).isEqualTo(LocalDate.of(2017, 8, 9));
    }

    @Test
    void testParseAnyOrder()
    {
        assertThat(Partition.parse("day=09/month=08/year=2017/channel=android/tracker=hydra/brand=olx"))
                .isEqualTo(new Partition("olx", "hydra", "android", LocalDate.of(2017, 8, 9)));
    }

    @Test
    void testParseAllowedCharacters()
    {
        Partition partition = Partition.parse("brand=olx_2/tracker=hy-dra/channel=a" + "b".repeat(63) + "/year=2016/month=02/day=29");
        assertThat(partition.brand()).isEqualTo("olx_2");
        assertThat(partition.tracker()).isEqualTo("hy-dra");
        assertThat(partition.channel()).hasSize(64);
        assertThat(partition.day()).isEqualTo(LocalDate.of(2016, 2, 29));
    }

    @ParameterizedTest
    @ValueSource(strings = {"brand", "tracker", "channel", "year", "month", "day"})
    void testEveryKeyRequired(String missing)
    {
        List<String> parts = new ArrayList<>();
        for (String part : GOOD.split("/")) {
            if (!part.startsWith(missing + "=")) {
                parts.add(part);
            }
        }
        assertThat(parts).hasSize(5);
        assertThatThrownBy(() -> Partition.parse(String.join("/", parts)))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("'" + missing + "'");
    }

    /** --from and --to both count: a range of MAX_DAYS days passes, one day more is refused. */
    @Test
    void testLongestRange()
    {
        Partition first = Partition.parse(GOOD);
        LocalDate last = first.day().plusDays(PartitionRange.MAX_DAYS - 1);
        assertThat(new PartitionRange(first, last).partitions()).hasSize(PartitionRange.MAX_DAYS);
        assertThatThrownBy(() -> new PartitionRange(first, last.plusDays(1))).isInstanceOf(PartitionException.class)
                .hasMessage("a range is at most 3660 days, got 3661");
    }

    @Test
    void testMissingPartition()
    {
        assertThatThrownBy(() -> Partition.parse(null)).isInstanceOf(PartitionException.class).hasMessageContaining("--partition");
        assertThatThrownBy(() -> Partition.parse("  ")).isInstanceOf(PartitionException.class).hasMessageContaining("--partition");
    }

    @Test
    void testUnknownKey()
    {
        assertThatThrownBy(() -> Partition.parse(GOOD + "/hour=10"))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("unknown partition key 'hour'");
        assertThatThrownBy(() -> Partition.parse(GOOD.replace("brand=", "Brand=")))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("'Brand'");
    }

    @Test
    void testDuplicateKey()
    {
        assertThatThrownBy(() -> Partition.parse(GOOD + "/brand=olx"))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("'brand' is given twice");
        assertThatThrownBy(() -> Partition.parse(GOOD + "/day=10"))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("'day' is given twice");
    }

    @Test
    void testNotKeyValue()
    {
        assertThatThrownBy(() -> Partition.parse(GOOD + "/"))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("not key=value");
        assertThatThrownBy(() -> Partition.parse("olx/hydra/android/2017/08/09"))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("not key=value");
        assertThatThrownBy(() -> Partition.parse(GOOD.replace("brand=olx", "=olx")))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("not key=value");
    }

    @ParameterizedTest
    @ValueSource(strings = {"olx'; DROP", "olx'", "OLX", "Olx", "", "olx x", "olx.x", "olx;", "olx\"", "olx\\x", "olx%", "olx*", "ölx", "olx\n"})
    void testHostileValue(String value)
    {
        for (String key : List.of("brand", "tracker", "channel")) {
            String text = GOOD.replaceFirst(key + "=[a-z]+", key + "=" + Matcher.quoteReplacement(value));
            assertThat(text).as("test setup").contains(key + "=" + value);
            assertThatThrownBy(() -> Partition.parse(text))
                    .as("%s=%s", key, value)
                    .isInstanceOf(PartitionException.class)
                    .hasMessageStartingWith(key + " '")
                    .hasMessageContaining("not allowed");
        }
    }

    @Test
    void testPathTraversal()
    {
        // the slash splits the value: "x" is then not a key=value part
        assertThatThrownBy(() -> Partition.parse(GOOD.replace("brand=olx", "brand=../x")))
                .isInstanceOf(PartitionException.class);
        assertThatThrownBy(() -> Partition.parse(GOOD.replace("brand=olx", "brand=..")))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("not allowed");
        assertThatThrownBy(() -> new Partition("..", "hydra", "android", LocalDate.of(2017, 8, 9)))
                .isInstanceOf(PartitionException.class);
    }

    @Test
    void testLength()
    {
        String longest = "a".repeat(64);
        assertThat(Partition.parse(GOOD.replace("channel=android", "channel=" + longest)).channel()).isEqualTo(longest);
        assertThatThrownBy(() -> Partition.parse(GOOD.replace("channel=android", "channel=" + "a".repeat(65))))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("1 to 64");
    }

    @Test
    void testHostileValueMessageIsOneLine()
    {
        assertThatThrownBy(() -> Partition.parse(GOOD.replace("brand=olx", "brand=ol\nx\r")))
                .isInstanceOf(PartitionException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r").contains("\\u000a"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "year=2017/month=02/day=30",
            "year=2017/month=02/day=29",
            "year=2017/month=04/day=31",
            "year=2017/month=13/day=01",
            "year=2017/month=00/day=01",
            "year=2017/month=08/day=00",
            "year=2017/month=08/day=32",
            "year=2017/month=8/day=09",
            "year=2017/month=08/day=9",
            "year=2017/month=008/day=09",
            "year=17/month=08/day=09",
            "year=20170/month=08/day=09",
            "year=0999/month=08/day=09",
            "year=2017/month=+8/day=09",
            "year=2017/month=-1/day=09",
            "year=2017/month=０８/day=09",
            "year=2017/month=08/day=",
            "year=abcd/month=08/day=09"})
    void testBadDate(String date)
    {
        assertThatThrownBy(() -> Partition.parse("brand=olx/tracker=hydra/channel=android/" + date))
                .isInstanceOf(PartitionException.class);
    }

    @Test
    void testBadDateMessages()
    {
        assertThatThrownBy(() -> Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=02/day=30"))
                .hasMessageContaining("2017-02-30 is not a calendar date");
        assertThatThrownBy(() -> Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=8/day=09"))
                .hasMessageContaining("month '8' must be two digits");
    }

    @Test
    void testPaths()
    {
        Partition partition = Partition.parse("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
        assertThat(partition.hivePath()).isEqualTo("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=09");
        assertThat(partition.sourcePath()).isEqualTo("olx/hydra/android/2017/08/09");
        assertThat(partition.channelPath()).isEqualTo("brand=olx/tracker=hydra/channel=android");
        assertThat(partition.trackerPath()).isEqualTo("brand=olx/tracker=hydra");
        assertThat(partition.sourceChannelPath()).isEqualTo("olx/hydra/android");
        assertThat(partition.toString()).isEqualTo(partition.hivePath());

        Partition early = new Partition("a", "b", "c", LocalDate.of(1999, 1, 1));
        assertThat(early.hivePath()).isEqualTo("brand=a/tracker=b/channel=c/year=1999/month=01/day=01");
        assertThat(early.sourcePath()).isEqualTo("a/b/c/1999/01/01");
    }

    @Test
    void testRoundTrip()
    {
        Partition partition = new Partition("olx", "hydra", "ios", LocalDate.of(2020, 12, 31));
        assertThat(Partition.parse(partition.hivePath())).isEqualTo(partition);
    }

    @Test
    void testWithDay()
    {
        Partition partition = Partition.parse(GOOD);
        Partition next = partition.withDay(LocalDate.of(2017, 8, 10));
        assertThat(next.hivePath()).isEqualTo("brand=olx/tracker=hydra/channel=android/year=2017/month=08/day=10");
        assertThat(partition.day()).isEqualTo(LocalDate.of(2017, 8, 9));
    }

    @Test
    void testConstructorValidates()
    {
        assertThatThrownBy(() -> new Partition("olx", "hydra", null, LocalDate.of(2017, 8, 9)))
                .isInstanceOf(PartitionException.class)
                .hasMessageContaining("channel is missing");
        assertThatThrownBy(() -> new Partition("olx", "hydra", "android", LocalDate.of(99999, 1, 1)))
                .isInstanceOf(PartitionException.class)
                .hasMessage("year must be from 1000 to 9999, got 99999");
        // year=0000 has four digits, and is no year a day can have here
        assertThatThrownBy(() -> Partition.parse("brand=olx/tracker=hydra/channel=android/year=0000/month=08/day=09"))
                .isInstanceOf(PartitionException.class)
                .hasMessage("year must be from 1000 to 9999, got 0");
    }
}
