package org.eventetl.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eventetl.config.Settings;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.Publication;
import org.eventetl.history.PublicationStore;
import org.eventetl.history.StepRecord;
import org.eventetl.model.RunId;
import org.eventetl.partition.Partition;
import org.eventetl.plan.Scripts;
import org.eventetl.plan.Step;
import org.eventetl.render.Plan;
import org.eventetl.render.PlanRenderer;
import org.eventetl.render.RenderContext;
import org.eventetl.render.RenderedScript;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RefusedSourceFileException;
import org.eventetl.storage.RoutingStorage;
import org.eventetl.storage.SourceFile;

import static java.util.Objects.requireNonNull;

/**
 * Renders what a run of a partition runs, with the parameters the audits compare the day with:
 * the rows each dataset had when the day was last published, and the published days of the week
 * before it. It reads what the output published; it writes nothing.
 */
final class LoadPlanner
{
    /** How many earlier days of the same brand/tracker/channel an audit may compare a day with. */
    static final int RECENT_DAYS = 7;
    /** The plan parameter that says, for a dry run, why what the output published could not be read. */
    static final String PUBLISHED_UNREAD = "published_unread";
    /** Why recent days were left out of what the audits compare with (a list of lines): their published files are gone. */
    static final String RECENT_DAYS_LEFT_OUT = "recent_days_left_out";

    private final Scripts scripts;
    private final PlanRenderer planRenderer;
    private final RoutingStorage storage;
    private final Settings settings;

    LoadPlanner(Scripts scripts, PlanRenderer planRenderer, RoutingStorage storage, Settings settings)
    {
        this.scripts = requireNonNull(scripts, "scripts is null");
        this.planRenderer = requireNonNull(planRenderer, "planRenderer is null");
        this.storage = requireNonNull(storage, "storage is null");
        this.settings = requireNonNull(settings, "settings is null");
    }

    /**
     * What a load of the request would run, rendered for a run that has not started (its id is {@link RunId#RENDERED},
     * which stands for any). A dry run: for an engine whose SQL names the source folder and no file (Trino,
     * Athena) it lists nothing, and what the output has published is read where it can be, so that
     * it needs no credentials or network; the plan's parameters then say what could not be read
     * ({@value #PUBLISHED_UNREAD}), and the audits are rendered as for a partition never published.
     */
    Plan render(LoadRequest request)
    {
        return renderUnstarted(request, true);
    }

    /**
     * {@link #render(LoadRequest)}, but what the output has published must be read, as a run's own
     * rendering must: what a load checks before it starts, so that an output it cannot read (a
     * bucket that is not there) is refused before the engine opens or the lease is asked for.
     */
    Plan renderBeforeLoad(LoadRequest request)
    {
        return renderUnstarted(request, false);
    }

    /** A rendering for a run that has not started; an engine that reads local files always reads what the output published (its rendering lists the source). */
    private Plan renderUnstarted(LoadRequest request, boolean lenient)
    {
        boolean local = request.engine().readsLocalFilesOnly();
        return local ? render(request, SourcePartition.files(storage, request)) : render(request, Workspace.of(request, RunId.RENDERED, false), List.of(), RunId.RENDERED, lenient);
    }

    /** {@link #render(LoadRequest)} on an engine that reads local files, of the source files the caller listed. */
    Plan render(LoadRequest request, List<SourceFile> files)
    {
        return render(request, Workspace.of(request, RunId.RENDERED, true), files, RunId.RENDERED, false);
    }

    /**
     * What a run renders: {@code files} are the source files it read (none for repair, which runs
     * callbacks only); with {@code lenient}, what the output published need not be readable (a dry run).
     */
    Plan render(LoadRequest request, Workspace workspace, List<SourceFile> files, RunId runId, boolean lenient)
    {
        PublishedState published = new PublishedState(request.output(), lenient);
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("max_reject_ratio", request.maxRejectRatio());
        parameters.put("min_volume_ratio", request.minVolumeRatio());
        // the day's own pointer first: an output that cannot be read at all is then said of the day itself
        parameters.put("published_rows", publishedRows(request, published));
        List<String> leftOut = new ArrayList<>();
        // (a run's own rendering only: status and dry runs render every day of a range, and would list each recent day's datasets)
        List<Map<String, Object>> recent = recentDays(request, workspace, published, runId.equals(RunId.RENDERED) ? null : leftOut);
        parameters.put("recent_days", recent);
        parameters.put(RECENT_DAYS_LEFT_OUT, leftOut);
        parameters.put("any_recent_day", !recent.isEmpty());
        published.unread().ifPresent(reason -> parameters.put(PUBLISHED_UNREAD, reason));
        if (workspace.local()) {
            parameters.put(PlanRenderer.SOURCE_FOLDER_NAMED, request.sourceFolder().asPrefix());
            parameters.put(PlanRenderer.LOCAL_COPY, workspace.root().toString());
            parameters.put(PlanRenderer.LOCAL_COPY_IN_CHECKSUMS, workspace.rootInChecksums().toString());
        }
        return planRenderer.render(new RenderContext(request.partition(), request.engine(), workspace.sourceFolder(), workspace.sourceFiles(files),
                workspace.output(), runId, settings, parameters));
    }

    /** The rows of each dataset when the partition was last published; 0 for one never published. */
    private Map<String, Object> publishedRows(LoadRequest request, PublishedState state)
    {
        Optional<Map<String, Long>> published = state.read(request.partition()).map(Publication::rows);
        if (published.isEmpty() && state.unread().isEmpty()) {
            // no pointer (moved away as its damage advised, say) while the history records a
            // publish: its rows come from there, or A6 would take a published day for an empty one
            published = state.historyRows(request.partition());
        }
        Map<String, Object> rows = new LinkedHashMap<>();
        for (String dataset : scripts.datasets()) {
            rows.put(dataset, published.map(counts -> counts.getOrDefault(dataset, 0L)).orElse(0L));
        }
        return rows;
    }

    /**
     * The published days among the {@value #RECENT_DAYS} before the request's, newest first, each with
     * its values and the published prefix of each dataset (as the engine sees it), so that an audit
     * can compare the day with recent ones.
     */
    /** @param leftOut where the days left out because their published rows are gone are said; null: no day is looked at for that */
    private List<Map<String, Object>> recentDays(LoadRequest request, Workspace workspace, PublishedState state, List<String> leftOut)
    {
        List<Map<String, Object>> days = new ArrayList<>();
        for (int back = 1; back <= RECENT_DAYS; back++) {
            LocalDate date = request.partition().day().minusDays(back);
            Partition day = request.partition().withDay(date);
            Optional<Publication> publication = state.read(day, " for " + date + " (one of the " + RECENT_DAYS + " days before " + request.partition().day()
                    + " that the audits compare it with)");
            if (publication.isEmpty()) {
                continue;
            }
            // a day whose published rows are gone (its data files deleted by hand, or by a lifecycle
            // rule) would fail every audit that reads it, for a week of loads: left out, and said
            List<String> gone = leftOut == null ? List.of() : state.datasetsGone(day, publication.get());
            if (!gone.isEmpty()) {
                leftOut.add(date + " is left out of what the audits compare with: " + String.join(", ", gone) + (gone.size() == 1 ? " has" : " have")
                        + " none of its published rows (reload that day: backfill --only-stale does)");
                continue;
            }
            Map<String, Object> published = new LinkedHashMap<>();
            for (String dataset : publication.get().datasets()) {
                published.put(dataset, workspace.view(new PublishedPrefix(request.output(), dataset, day)).asPrefix());
            }
            Map<String, Object> values = new HashMap<>();
            values.put("date", date.toString());
            values.put("year", day.year());
            values.put("month", day.month());
            values.put("day", day.dayOfMonth());
            values.put("published", published);
            days.add(values);
        }
        for (int i = 0; i < days.size(); i++) {
            days.get(i).put("last", i == days.size() - 1);
        }
        return days;
    }

    /**
     * What the output has published, as a rendering reads it: a load must read it (a failure stops
     * it); a dry run may go on without it, and after the first failure reads no more (each read
     * without credentials would wait for the same answer again).
     */
    private final class PublishedState
    {
        private final PublicationStore publications;
        private final Location output;
        private final boolean lenient;
        private Optional<String> unread = Optional.empty();

        PublishedState(Location output, boolean lenient)
        {
            this.publications = new PublicationStore(storage, output);
            this.output = output;
            this.lenient = lenient;
        }

        Optional<Publication> read(Partition partition)
        {
            return read(partition, "");
        }

        /** @param why what the partition is to the request, for a failure's message ("for 2017-08-01 (one of …)") */
        Optional<Publication> read(Partition partition, String why)
        {
            if (unread.isPresent()) {
                return Optional.empty();
            }
            try {
                return publications.read(partition);
            }
            catch (IOException | UncheckedIOException e) {
                if (!lenient) {
                    // the cause names the file (the day itself, or a recent day that the audits compare with)
                    throw new UncheckedIOException("cannot read what " + output + " has published" + why + ": " + e.getMessage(),
                            e instanceof IOException io ? io : new IOException(e));
                }
                unread = Optional.of("cannot read what the output has published (" + e.getMessage() + ")");
                return Optional.empty();
            }
        }

        Optional<String> unread()
        {
            return unread;
        }

        /** The datasets of a publication that it says have rows and whose published folder holds no data file. */
        List<String> datasetsGone(Partition partition, Publication publication)
        {
            List<String> gone = new ArrayList<>();
            for (String dataset : publication.datasets()) {
                if (unread.isPresent() || publication.rows().getOrDefault(dataset, 0L) == 0) {
                    continue;
                }
                PublishedPrefix prefix = new PublishedPrefix(output, dataset, partition);
                try {
                    if (RunMarker.filesOf(storage, prefix.location()).isEmpty()) {
                        gone.add(dataset);
                    }
                }
                catch (RefusedSourceFileException e) {
                    // a file there that a listing refuses (a link): there are files; the audit's read says the rest
                }
                catch (IOException | UncheckedIOException e) {
                    if (!lenient) {
                        throw new UncheckedIOException("cannot list what " + output + " has published for " + partition.day() + ": " + e.getMessage(),
                                e instanceof IOException io ? io : new IOException(e));
                    }
                    unread = Optional.of("cannot list what the output has published (" + e.getMessage() + ")");
                }
            }
            return gone;
        }

        /** The rows each dataset's step wrote in the run that the history records as published, if any. */
        Optional<Map<String, Long>> historyRows(Partition partition)
        {
            PartitionHistory history;
            try {
                history = new HistoryStore(storage, output).read(partition);
            }
            catch (IOException | UncheckedIOException e) {
                if (!lenient) {
                    throw new UncheckedIOException("cannot read the history of " + partition + ": " + e.getMessage(), e instanceof IOException io ? io : new IOException(e));
                }
                unread = Optional.of("cannot read the history of " + partition + " (" + e.getMessage() + ")");
                return Optional.empty();
            }
            return history.published().map(run -> rowsWritten(history, run.runId()));
        }
    }

    /** The rows each dataset's step wrote in run {@code runId}, by its step records in the history (each step of sql/ names its dataset). */
    Map<String, Long> rowsWritten(PartitionHistory history, String runId)
    {
        Map<String, Long> rows = new LinkedHashMap<>();
        for (StepRecord record : history.steps(runId)) {
            scripts.steps().stream().filter(step -> step.version() == record.version()).findFirst().flatMap(Step::dataset)
                    .ifPresent(dataset -> rows.merge(dataset, record.rowsWritten(), Long::sum));
        }
        return rows;
    }

    /** The published prefixes of earlier days that the rendered SQL reads: a local workspace copies them. */
    List<PublishedPrefix> referencedPublished(LoadRequest request, Workspace workspace, Plan plan)
    {
        if (!workspace.local()) {
            return List.of();
        }
        String sql = String.join("\n", plan.audits().values().stream().map(RenderedScript::sql).toList());
        List<PublishedPrefix> referenced = new ArrayList<>();
        for (int back = 1; back <= RECENT_DAYS; back++) {
            Partition day = request.partition().withDay(request.partition().day().minusDays(back));
            for (String dataset : scripts.datasets()) {
                PublishedPrefix prefix = new PublishedPrefix(request.output(), dataset, day);
                if (sql.contains(workspace.view(prefix).asPrefix())) {
                    referenced.add(prefix);
                }
            }
        }
        return referenced;
    }
}
