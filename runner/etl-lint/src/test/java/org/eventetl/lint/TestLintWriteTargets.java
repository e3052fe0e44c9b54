package org.eventetl.lint;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.storage.Location;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Rule 4: the only places a step may write are full dataset partition prefixes of the steps. */
final class TestLintWriteTargets
{
    private static final String OUTPUT = "/work/out";
    private static final String PARTITION = "brand=b/tracker=t/channel=c/year=2031/month=12/day=31";
    private static final RunId RUN = new RunId("20311231_000000_00000000");
    private static final String STAGING = OUTPUT + "/_staging/" + RUN;
    private static final WriteTargets TARGETS = new WriteTargets(
            new Location(OUTPUT), RUN, new Partition("b", "t", "c", LocalDate.of(2031, 12, 31)), List.of("events", "dau", "rejects"));

    @Test
    void allowsFilesUnderAnyStepsPartitionPrefix()
    {
        assertThat(TARGETS.allows(STAGING + "/events/" + PARTITION + "/data.parquet")).isTrue();
        assertThat(TARGETS.allows(STAGING + "/rejects/" + PARTITION + "/rejects.json")).isTrue();
        assertThat(TARGETS.allows(STAGING + "/dau/" + PARTITION + "/")).isTrue();
        assertThat(TARGETS.allows(STAGING + "/dau/" + PARTITION + "/part/deeper.parquet")).isTrue();
        assertThat(problem(STAGING + "/events/" + PARTITION + "/data.parquet")).isEmpty();
    }

    @Test
    void saysWhereAWriteGoesWrong()
    {
        assertThat(problem(OUTPUT)).hasValue(message("{{output}}", "the output root"));
        assertThat(problem(OUTPUT + "/")).hasValue(message("{{output}}/", "the output root"));
        assertThat(problem(OUTPUT + "/data.parquet")).hasValue(message("{{output}}/data.parquet", "a file in the output root"));
        assertThat(problem(OUTPUT + "/events/")).hasValue(message("{{output}}/events/", "the root of dataset 'events'"));
        assertThat(problem(OUTPUT + "/events/data.parquet")).hasValue(message("{{output}}/events/data.parquet", "the root of dataset 'events'"));
        assertThat(problem(OUTPUT + "/events/" + PARTITION + "/data.parquet"))
                .hasValue(message("{{output}}/events/" + PARTITION + "/data.parquet", "the published prefix of dataset 'events', which only the publish replaces"));
        assertThat(problem(STAGING + "/events/brand=b/tracker=t/data.parquet"))
                .hasValue(message("{{output}}/_staging/" + RUN + "/events/brand=b/tracker=t/data.parquet", "a partial partition path of dataset 'events'"));
        assertThat(problem(OUTPUT + "/events/brand=b/tracker=t/data.parquet"))
                .hasValue(message("{{output}}/events/brand=b/tracker=t/data.parquet", "a partial partition path of dataset 'events'"));
        assertThat(problem(OUTPUT + "/events/brand=b/tracker=t/channel=c/year=2017/month=12/day=31/data.parquet"))
                .hasValue(message("{{output}}/events/brand=b/tracker=t/channel=c/year=2017/month=12/day=31/data.parquet", "outside the partition's prefix of dataset 'events'"));
        assertThat(problem(OUTPUT + "/other/" + PARTITION + "/data.parquet"))
                .hasValue(message("{{output}}/other/" + PARTITION + "/data.parquet", "in 'other', a dataset no step targets (nothing clears it)"));
        assertThat(problem("/elsewhere/data.parquet")).hasValue(message("/elsewhere/data.parquet", "outside the output"));
        assertThat(problem(OUTPUT + "2/events/" + PARTITION + "/data.parquet")).hasValue(message(OUTPUT + "2/events/" + PARTITION + "/data.parquet", "outside the output"));
    }

    @Test
    void refusesAPathThatClimbsOutOfAPrefix()
    {
        String path = STAGING + "/events/" + PARTITION + "/../../../../../../../dau.parquet";

        assertThat(TARGETS.allows(path)).isFalse();
        assertThat(problem(path)).hasValue(message("{{output}}/_staging/" + RUN + "/events/" + PARTITION + "/../../../../../../../dau.parquet", "a path that climbs with .."));
    }

    @Test
    void refusesATargetThatIsNotALiteral()
    {
        assertThat(TARGETS.problem(new WriteTarget("COPY … TO", Optional.empty(), 0)))
                .hasValue("COPY … TO writes to a path that is not a string literal; write under {{target}} or another step's {{staged.<dataset>}}");
    }

    private static Optional<String> problem(String path)
    {
        return TARGETS.problem(new WriteTarget("COPY … TO", Optional.of(path), 0));
    }

    private static String message(String shown, String where)
    {
        return "COPY … TO writes to " + shown + ", " + where + "; write under {{target}} or another step's {{staged.<dataset>}}";
    }
}
