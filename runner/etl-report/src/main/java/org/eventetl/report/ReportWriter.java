package org.eventetl.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import org.eventetl.geo.WorldAtlas;
import org.eventetl.history.HistoryStore;
import org.eventetl.history.PartitionHistory;
import org.eventetl.history.Publication;
import org.eventetl.history.PublicationStore;
import org.eventetl.lease.LeaseStore;
import org.eventetl.load.PublishedRuns;
import org.eventetl.load.ReportStagings;
import org.eventetl.load.UnfinishedPublishes;
import org.eventetl.model.PausePoints;
import org.eventetl.model.UserException;
import org.eventetl.partition.Partition;
import org.eventetl.storage.FileReasons;
import org.eventetl.storage.Location;
import org.eventetl.storage.PublishedPrefix;
import org.eventetl.storage.RunStaging;
import org.eventetl.storage.StagedPrefix;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * {@code etl report}: writes {@code <output>/_reports/<partition path>/index.html} and the PNG images
 * beside it, from the partition's aggregates and its history only, so it takes about a second
 * whatever the size of the day.
 * <p>
 * Everything is rendered in memory first; only then is the report's prefix cleared (as the load
 * clears a step's target, so an image of a country that has gone does not linger) and written.
 */
public final class ReportWriter
{
    public static final String DATASET = ReportStagings.FOLDER;
    public static final String PAGE = "index.html";
    private static final Pattern PLAIN_CODE = Pattern.compile("[A-Za-z0-9]{1,16}");
    /** What a report writes into its folder: the page, the two charts, a map per country (see {@link #mapImage}). */
    private static final Pattern REPORT_FILE = Pattern.compile("index\\.html|dau\\.png|hourly\\.png|map-[a-z0-9]{1,16}\\.png|map-x-[0-9a-f]{16}\\.png");
    /**
     * The list of the files a report wrote into its folder, one name per line, published with them
     * (last on object stores, as every name starting with _): what a later report may replace.
     * Names alone would let it replace a user's map-zz.png or hand-written index.html.
     */
    static final String MARKER = "_etl_report";
    /** What only a page that a report wrote holds: the element its data sits in. */
    private static final String PAGE_SIGNATURE = "id=\"report-data\"";

    private final Storage storage;
    private final Path templatesFolder;

    public ReportWriter(Storage storage, Path templatesFolder)
    {
        this.storage = requireNonNull(storage, "storage is null");
        this.templatesFolder = requireNonNull(templatesFolder, "templatesFolder is null");
    }

    /**
     * The file of a country's map. A country is whatever text the events carried (trimmed, upper
     * case), so only a plain code names its file; any other text ({@code ..}, a slash, 300
     * characters) gets a name made from its digest, which no plain code can take (it has a dash).
     */
    static String mapImage(String country)
    {
        return PLAIN_CODE.matcher(country).matches() ? "map-" + country.toLowerCase(Locale.ROOT) + ".png" : "map-x-" + digest(country) + ".png";
    }

    /**
     * The id of a country's map on the page, by the same rule: a browser's parser changes some
     * characters of an id (a NUL becomes U+FFFD), so the script could not find a map whose id
     * holds the country's text, and stopped drawing the maps after it.
     */
    static String mapElement(String country)
    {
        return PLAIN_CODE.matcher(country).matches() ? "map-" + country : "map-x-" + digest(country);
    }

    private static String digest(String country)
    {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(country.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * What a reader of the page must be told of the datasets it reads: that they come from two runs
     * (a publish killed between its swaps), or from a run whose publish was cut short before its
     * pointer named it, while the page's run table is the recorded one's.
     *
     * @param publishingNow the run that holds the day's lease, if a live one does: a publish under
     *         way is no publish cut short
     */
    static List<String> publishCautions(Map<String, String> runs, Optional<Publication> pointer, UnfinishedPublishes unfinished, Optional<String> publishingNow)
    {
        Set<String> distinct = new LinkedHashSet<>(runs.values());
        String finish = "; etl repair, or the next load of the day, finishes that publish (etl status says more)";
        if (distinct.size() > 1) {
            List<String> whose = runs.entrySet().stream().map(entry -> entry.getKey() + " from run " + entry.getValue()).toList();
            if (publishingNow.filter(distinct::contains).isPresent()) {
                return List.of("The datasets on this page come from two runs (" + String.join(", ", whose) + "): run " + publishingNow.get()
                        + " is publishing the day now, and this page was written in the middle of it; write it again once that load has ended.");
            }
            return List.of("The datasets on this page come from two runs (" + String.join(", ", whose) + "): a publish was cut short"
                    + " (killed while it published)" + finish + ".");
        }
        // a publish that the history does not record as finished, by a run that holds the lease: under
        // way, not cut short, and no repair is needed (nor may one run). Once recorded, it is no
        // publish under way, though its run holds the lease while its afterRun callbacks run
        Optional<String> live = publishingNow.filter(unfinished.runs()::contains);
        if (live.isPresent()) {
            String again = "; write the page again once that load has ended.";
            return List.of(distinct.contains(live.get())
                    ? "The datasets on this page are run " + live.get() + "'s, which is publishing the day now: other datasets of the day may still be an earlier run's" + again
                    : "Run " + live.get() + " is publishing the day now: datasets of the day that this page does not read may be its already, while those on it are not" + again);
        }
        if (distinct.size() == 1 && pointer.isPresent() && !distinct.contains(pointer.get().runId())) {
            return List.of("The datasets on this page are run " + distinct.iterator().next() + "'s, whose publish was cut short before it was"
                    + " recorded; the run named below is the one published before it" + finish + ".");
        }
        if (!unfinished.none()) {
            // cut short before or after the datasets this page reads: the day's others may be of two runs
            String run = unfinished.runs().get(0);
            if (pointer.filter(publication -> publication.runId().equals(run)).isPresent()) {
                // its pointer is written once every dataset is swapped in: only its callbacks are left
                return List.of("The datasets on this page are run " + run + "'s, which replaced every dataset of the day, but whose publish did not finish:"
                        + " its afterPublish callbacks are left (etl status says more; etl repair or a rerun of the load runs them).");
            }
            String then = "; etl status says which, and " + unfinished.whyOnlyALoadFinishes().orElse("etl repair or a rerun of the load finishes a publish cut short") + ".";
            return List.of(distinct.contains(run)
                    ? "The datasets on this page are run " + run + "'s, whose publish began and is not finished (it is publishing now, or was cut short):"
                            + " other datasets of the day may still be an earlier run's" + then
                    : "The publish of run " + run + " began and is not finished (it is publishing now, or was cut short): datasets of the day that this"
                            + " page does not read may be that run's already, while those on it are not" + then);
        }
        return List.of();
    }

    /** Writes the report and returns the page's location. */
    public Location write(Location output, Partition partition)
            throws IOException
    {
        return write(output, partition, caution -> {});
    }

    /**
     * Writes the report and returns the page's location; what the page cautions its reader about at
     * the top (datasets of a publish cut short) is also told to {@code cautions}.
     */
    public Location write(Location output, Partition partition, Consumer<String> cautions)
            throws IOException
    {
        // headless even where a display exists: the images are files, never windows
        System.setProperty("java.awt.headless", "true");
        refuseChangedDatasets(output, partition);
        Aggregates aggregates = new AggregateReader(storage).read(output, partition);
        PartitionHistory history = new HistoryStore(storage, output).read(partition);
        RunSummary run = RunSummary.of(history);
        // the page reads the published datasets, not the pointer; a damaged pointer is refused all the same, as status refuses it
        Optional<Publication> pointer = new PublicationStore(storage, output).read(partition);
        Optional<String> publishingNow = LeaseStore.liveHolder(storage, output, partition);
        List<String> publishCautions = publishCautions(PublishedRuns.of(storage, output, partition, AggregateReader.DATASETS), pointer,
                UnfinishedPublishes.of(storage, output, partition, history), publishingNow);
        publishCautions.forEach(cautions);
        WorldAtlas atlas = WorldAtlas.load();
        List<CountryMap> maps = new CountryMaps(atlas).build(aggregates);
        HourlySeries hourly = HourlySeries.of(aggregates.hourly(), partition.day());

        Map<String, byte[]> files = new LinkedHashMap<>();
        List<String> countries = maps.stream().map(CountryMap::code).toList();
        Map<String, String> names = new LinkedHashMap<>();
        maps.forEach(map -> names.put(map.code(), map.name()));
        files.put("dau.png", ReportImages.dau("Daily active devices, " + partition.day(), aggregates.dau(), countries, names));
        files.put("hourly.png", ReportImages.hourly("Events and devices per hour (UTC), " + partition.day(), hourly, countries));
        for (CountryMap map : maps.stream().filter(CountryMap::drawable).toList()) {
            files.put(mapImage(map.code()), ReportImages.map(ReportImages.label(map.name()) + " (" + ReportImages.label(map.code()) + "): where events happen, "
                    + partition.day(), map));
        }
        List<String> images = new ArrayList<>(files.keySet());
        String html = new ReportPage(templatesFolder).render(new ReportPage.Content(
                partition, output, Instant.now(), aggregates, hourly, maps, run, publishCautions, atlas.version(), images));

        // the images first and the page last: a page never names an image not yet written
        Map<String, byte[]> written = new LinkedHashMap<>(files);
        written.put(PAGE, html.getBytes(StandardCharsets.UTF_8));
        PublishedPrefix prefix = new PublishedPrefix(output, DATASET, partition);
        refuseForeignFiles(prefix);
        ReportStagings stagings = new ReportStagings(storage, output, Clock.systemUTC());
        for (RunStaging abandoned : stagings.abandoned(partition)) {
            stagings.remove(abandoned);
        }
        if (output.isS3()) {
            writeInPlace(prefix, written);
        }
        else {
            stageAndSwap(stagings, prefix, written);
        }
        return prefix.location().resolve(PAGE);
    }

    /**
     * On a local disk the report is written whole to a staging area of its own, then swapped into
     * place as the datasets are: a reader finds the old folder or the new one, never a mix.
     */
    private void stageAndSwap(ReportStagings stagings, PublishedPrefix prefix, Map<String, byte[]> files)
            throws IOException
    {
        RunStaging staging = stagings.begin(prefix.partition());
        StagedPrefix staged = prefix.staged(staging.runId());
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                storage.write(staged.location().resolve(file.getKey()), file.getValue());
            }
            storage.write(staged.location().resolve(MARKER), list(files.keySet()));
            PausePoints.reach("report staged");
            storage.publish(staged);
        }
        finally {
            storage.clear(staging);
        }
    }

    /**
     * S3 has no rename, and a publish there deletes the old objects before it copies the new ones:
     * a failure between the two left the folder without its page. So each file is written over its
     * name instead, each PUT whole: first the list of the report's files, widened to what the folder
     * holds now (a report cut short then leaves no file that the next report takes for another's),
     * then the images, then the page, then the list of this report's files alone, and last the
     * files of the earlier report that this one did not write (a market gone). A reader finds a
     * whole page at every moment, the old or the new; a report cut short leaves new images beside
     * the old page until the next report.
     */
    private void writeInPlace(PublishedPrefix prefix, Map<String, byte[]> files)
            throws IOException
    {
        Location folder = prefix.location();
        Set<String> before = new TreeSet<>(storage.listRecursively(folder).stream().map(folder::toRelative).toList());
        before.remove(MARKER);
        Set<String> widened = new TreeSet<>(before);
        widened.addAll(files.keySet());
        storage.write(folder.resolve(MARKER), list(widened));
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            storage.write(folder.resolve(file.getKey()), file.getValue());
        }
        storage.write(folder.resolve(MARKER), list(files.keySet()));
        storage.delete(before.stream().filter(name -> !files.containsKey(name)).map(folder::resolve).toList());
    }

    /** The list of a report's files, one name per line, sorted. */
    private static byte[] list(Set<String> names)
    {
        return (String.join("\n", names.stream().sorted().toList()) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Refuses to draw a page from datasets that hold other files than their run published (another
     * day's file copied in: the page showed its devices and events as the day's, with no word),
     * as status and show find them.
     */
    private void refuseChangedDatasets(Location output, Partition partition)
            throws IOException
    {
        for (String dataset : AggregateReader.DATASETS) {
            Optional<String> changed = PublishedRuns.filesChanged(storage, output, partition, dataset);
            if (changed.isPresent()) {
                throw new UserException("cannot write the report of " + partition + ": " + changed.get() + ", so the page would show figures that no run"
                        + " published; move what was added away, or load the day again (etl status says more)");
            }
        }
    }

    /**
     * Refuses to replace a report's folder that holds what no report wrote there (a user's notes, a
     * file where the folder must be): the publish replaces the whole folder, and deletes nothing it
     * does not own. A report lists what it wrote in {@link #MARKER}. A folder without that list (a
     * report of an earlier version, or a publish on S3 cut short before its last copy) holds only
     * files named as a report names them ({@link #REPORT_FILE}), and a page, if any, that a report wrote.
     */
    private void refuseForeignFiles(PublishedPrefix prefix)
            throws IOException
    {
        Location folder = prefix.location();
        Optional<Path> inTheWay = FileReasons.inTheWayOfFolder(folder);
        if (inTheWay.isPresent()) {
            throw new UserException(FileReasons.notAFolder(inTheWay.get()) + ", where the report writes its folder " + folder.asPrefix()
                    + ": move it away and rerun");
        }
        Optional<byte[]> marker = storage.read(folder.resolve(MARKER));
        Set<String> listed = marker.map(bytes -> Set.copyOf(new String(bytes, StandardCharsets.UTF_8).lines().toList())).orElse(Set.of());
        Optional<byte[]> page = marker.isPresent() ? Optional.empty() : storage.read(folder.resolve(PAGE));
        boolean pageIsAReport = page.map(bytes -> new String(bytes, StandardCharsets.UTF_8).contains(PAGE_SIGNATURE)).orElse(true);
        Predicate<String> reportWroteIt = marker.isPresent()
                ? name -> name.equals(MARKER) || listed.contains(name)
                : name -> REPORT_FILE.matcher(name).matches() && (!name.equals(PAGE) || pageIsAReport);
        List<String> foreign = storage.listRecursively(folder).stream().map(folder::toRelative).filter(reportWroteIt.negate()).sorted().toList();
        if (!foreign.isEmpty()) {
            throw new UserException(folder.asPrefix() + " holds " + foreign.size() + (foreign.size() == 1 ? " file" : " files") + " that no report wrote (e.g. "
                    + foreign.get(0) + "): a report replaces the whole folder, so move them elsewhere and rerun");
        }
    }
}
