package org.eventetl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * A stub of the Amazon Athena API on loopback, for tests: not Athena, and it runs no SQL. It speaks
 * the JSON 1.1 protocol the AWS SDK uses ({@code POST /}, {@code X-Amz-Target: AmazonAthena.<Operation>},
 * errors as {@code {"__type": …, "message": …}}) for the operations the runner needs, and it is
 * strict: any other operation, an unsigned request or one signed for another service or region,
 * another workgroup, catalog, database or result location, and any SQL other than the next expected
 * statement of one of its sequences (what {@code render} prints for a partition, in order; run ids
 * may differ from the rendered ones, but stay one per sequence) is recorded as a violation and
 * answered with an error, so the run fails and the test sees why.
 * <p>
 * Where Athena's documentation is certain, the stub behaves as it says:
 * <ul>
 * <li>GetQueryRuntimeStatistics has no row statistics at first ("may not be available immediately")
 *     and, when scripted, never; its OutputRows is rows returned (1 for a CTAS), not rows written;
 * <li>GetQueryResults has the UpdateCount of a CTAS, and a header row before a SELECT's rows;
 * <li>StatementType is DDL for Hive DDL and DML for a CTAS ("DML … such as CREATE TABLE AS SELECT");
 * <li>a Glue-like catalog: CREATE of a table that exists fails (unless IF NOT EXISTS, which keeps the
 *     first definition), a CTAS into a location that holds anything fails with
 *     HIVE_PATH_ALREADY_EXISTS, DROP TABLE forgets a table and keeps its files, a query of a table
 *     that does not exist fails with TABLE_NOT_FOUND;
 * <li>a text table (JSON, TEXTFILE) is read by its files' extensions: gzip under a name without
 *     {@code .gz}, or plain text under one with it, fails the query that reads it;
 * <li>GetTableMetadata returns a table's properties among its parameters.
 * </ul>
 * Each query follows its {@link QueryScript}: the states its polls see, its statistics, its rows,
 * the files it writes, how it fails. Throttling and network failures (a connection closed with no
 * answer, before or after the request took effect) are scripted per operation.
 */
public final class AthenaStub
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("AWS4-HMAC-SHA256 Credential=[^/]+/[0-9]{8}/([^/]+)/([^/]+)/aws4_request,.*");
    private static final Pattern RUN_ID = Pattern.compile("[0-9]{8}_[0-9]{6}_[0-9a-f]{8}");
    private static final String NAME = "(?:`([^`]+)`|\"([^\"]+)\"|(\\w+))";
    private static final Pattern EXTERNAL_TABLE = Pattern.compile("(?is)^CREATE EXTERNAL TABLE (IF NOT EXISTS )?" + NAME + "\\." + NAME + ".*?\\bLOCATION '([^']*)'(.*)");
    private static final Pattern TEMPLATE = Pattern.compile("(?s).*'storage\\.location\\.template' = '([^']*)'.*");
    private static final Pattern CTAS = Pattern.compile("(?is)^CREATE TABLE " + NAME + "\\." + NAME + "\\s+WITH \\((.*?)\\)\\s*AS\\b.*");
    private static final Pattern PROPERTY = Pattern.compile("(\\w+) = '([^']*)'");
    private static final Pattern DROP = Pattern.compile("(?is)^DROP TABLE (IF EXISTS )?" + NAME + "\\." + NAME + "\\s*");
    private static final Pattern TABLE_REFERENCE = Pattern.compile("(?is)\\b(?:FROM|JOIN)\\s+" + NAME + "\\." + NAME);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(8);
    private final Expected expected;
    private final Storage storage;
    private final List<String> statements;
    private final List<Integer> sequenceOf;
    private final int[] pending;
    private final String[] boundRun;
    private final Map<Integer, List<QueryScript>> scripts = new HashMap<>();
    private final List<String> startTokens = new ArrayList<>();
    private final Map<String, Deque<String>> throttles = new HashMap<>();
    private final Map<String, Deque<Boolean>> drops = new HashMap<>();
    private final Map<Integer, Integer> droppedPolls = new HashMap<>();
    private final Map<String, Query> queries = new LinkedHashMap<>();
    private final Map<String, Table> tables = new TreeMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final List<String> stopped = new ArrayList<>();
    private final List<String> counted = new ArrayList<>();
    private int accepted;
    private int attempt;

    /**
     * @param sequences the statements of each load the stub serves, each in the order the load
     *         must send them (each as {@code render} prints it, without the comment lines before its
     *         first word); loads that run side by side interleave their sequences
     * @param storage the S3 the run writes to, where a CTAS's location must be empty
     */
    public AthenaStub(Expected expected, List<List<String>> sequences, Storage storage)
            throws IOException
    {
        this.expected = requireNonNull(expected, "expected is null");
        this.storage = requireNonNull(storage, "storage is null");
        List<String> flat = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        this.pending = new int[sequences.size()];
        for (int sequence = 0; sequence < sequences.size(); sequence++) {
            pending[sequence] = flat.size();
            for (String statement : sequences.get(sequence)) {
                flat.add(statement);
                owners.add(sequence);
            }
        }
        this.statements = List.copyOf(flat);
        this.sequenceOf = List.copyOf(owners);
        this.boundRun = new String[sequences.size()];
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** What every request must carry. */
    public record Expected(String region, String workgroup, String catalog, String database, String outputLocation)
    {
        public Expected
        {
            requireNonNull(region, "region is null");
            requireNonNull(workgroup, "workgroup is null");
            requireNonNull(catalog, "catalog is null");
            requireNonNull(database, "database is null");
            requireNonNull(outputLocation, "outputLocation is null");
        }
    }

    /**
     * How one query goes: the state each poll sees (the last one repeats), its statistics when it
     * ends, how many GetQueryRuntimeStatistics calls find no row statistics yet (-1: they never
     * come), the rows it reads and the UpdateCount of a write (empty: GetQueryResults has none), the
     * rows of a SELECT, the files a CTAS writes into its location, and for a failure Athena's reason
     * and error. A failure marked {@code leavesFiles} writes a file into its location first, as a
     * failed Athena write leaves its files behind.
     */
    public record QueryScript(List<String> states, long bytesScanned, long engineMillis, long queueMillis, int statisticsAfter, long inputRows,
            long written, boolean updateCount, List<String> columns, List<List<String>> rows, Map<String, byte[]> files,
            String reason, int errorCategory, int errorType, boolean retryable, boolean leavesFiles)
    {
        public QueryScript
        {
            states = List.copyOf(requireNonNull(states, "states is null"));
            columns = List.copyOf(columns);
            rows = rows.stream().map(List::copyOf).toList();
            files = Map.copyOf(files);
        }

        /** Succeeds after one poll that sees it running; its row statistics come at the second call; a CTAS of it wrote no rows. */
        public static QueryScript succeeds()
        {
            return new QueryScript(List.of("RUNNING", "SUCCEEDED"), 0, 0, 0, 1, 0, 0, true, List.of("problem"), List.of(), Map.of(),
                    null, 0, 0, false, false);
        }

        public QueryScript states(String... sequence)
        {
            return new QueryScript(List.of(sequence), bytesScanned, engineMillis, queueMillis, statisticsAfter, inputRows, written, updateCount, columns, rows, files,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        public QueryScript scanned(long bytes, long engine, long queue)
        {
            return new QueryScript(states, bytes, engine, queue, statisticsAfter, inputRows, written, updateCount, columns, rows, files,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        /** The rows it reads (InputRows) and, for a write, the rows it inserts (UpdateCount). */
        public QueryScript rows(long input, long inserted)
        {
            return new QueryScript(states, bytesScanned, engineMillis, queueMillis, statisticsAfter, input, inserted, updateCount, columns, rows, files,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        /** GetQueryRuntimeStatistics has no row statistics for the first {@code calls} calls; -1: never. */
        public QueryScript statisticsAfter(int calls)
        {
            return new QueryScript(states, bytesScanned, engineMillis, queueMillis, calls, inputRows, written, updateCount, columns, rows, files,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        /** GetQueryResults carries no UpdateCount. */
        public QueryScript withoutUpdateCount()
        {
            return new QueryScript(states, bytesScanned, engineMillis, queueMillis, statisticsAfter, inputRows, written, false, columns, rows, files,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        /** What a SELECT returns after its header row. */
        public QueryScript returns(List<String> header, List<List<String>> data)
        {
            return new QueryScript(states, bytesScanned, engineMillis, queueMillis, statisticsAfter, inputRows, written, updateCount, header, data, files,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        /** A file the CTAS writes into its location when it succeeds. */
        public QueryScript writes(String name, byte[] content)
        {
            Map<String, byte[]> more = new LinkedHashMap<>(files);
            more.put(name, content);
            return new QueryScript(states, bytesScanned, engineMillis, queueMillis, statisticsAfter, inputRows, written, updateCount, columns, rows, more,
                    reason, errorCategory, errorType, retryable, leavesFiles);
        }

        public QueryScript fails(String failure, int category, int type, boolean canRetry, boolean leaveFiles)
        {
            return new QueryScript(List.of("QUEUED", "RUNNING", "FAILED"), bytesScanned, engineMillis, queueMillis, statisticsAfter, inputRows, written, updateCount, columns,
                    rows, files, failure, category, type, canRetry, leaveFiles);
        }

        /** Ends CANCELLED by Athena (not by StopQueryExecution), with this StateChangeReason. */
        public QueryScript cancelled(String why)
        {
            return new QueryScript(List.of("QUEUED", "RUNNING", "CANCELLED"), bytesScanned, engineMillis, queueMillis, statisticsAfter, inputRows, written, updateCount,
                    columns, rows, files, why, 0, 0, false, false);
        }
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The scripts of the statement at {@code index} of the expected ones (the sequences one after
     * another): the first for its first query, the next for a retry, the last for any later one.
     * Unscripted statements simply succeed.
     */
    public synchronized AthenaStub script(int index, QueryScript... attempts)
    {
        scripts.put(index, List.of(attempts));
        return this;
    }

    /** Answers the next {@code times} calls of {@code operation} with {@code errorType} (TooManyRequestsException, ThrottlingException, InternalServerException). */
    public synchronized AthenaStub throttle(String operation, int times, String errorType)
    {
        Deque<String> queue = throttles.computeIfAbsent(operation, key -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(errorType);
        }
        return this;
    }

    /**
     * Closes the connection of the next {@code times} calls of {@code operation} without an answer,
     * as a reset or a timeout does: {@code afterEffect}, once the call took effect (a query was
     * started, a stop was made), else before the stub looked at it.
     */
    public synchronized AthenaStub drop(String operation, int times, boolean afterEffect)
    {
        Deque<Boolean> queue = drops.computeIfAbsent(operation, key -> new ArrayDeque<>());
        for (int i = 0; i < times; i++) {
            queue.add(afterEffect);
        }
        return this;
    }

    /** Closes the connection of the next {@code times} polls (GetQueryExecution) of the queries of the statement at {@code index} without an answer. */
    public synchronized AthenaStub dropPolls(int index, int times)
    {
        droppedPolls.put(index, times);
        return this;
    }

    /**
     * A table the catalog holds before the run, as Glue would keep it from an earlier load: its
     * location and its projection's location template.
     */
    public synchronized AthenaStub table(String name, String location, String locationTemplate)
    {
        tables.put(name, new Table(name, location, Optional.of(locationTemplate), "PARQUET"));
        return this;
    }

    /** The catalog as another stub left it: Glue keeps the tables from one load to the next. */
    public AthenaStub tablesOf(AthenaStub earlier)
    {
        Map<String, Table> kept;
        synchronized (earlier) {
            kept = new TreeMap<>(earlier.tables);
        }
        synchronized (this) {
            tables.putAll(kept);
        }
        return this;
    }

    public synchronized List<String> violations()
    {
        return List.copyOf(violations);
    }

    /** Every call, as {@code Operation}, {@code Operation:<scripted error>} or {@code Operation:dropped}, in order. */
    public synchronized List<String> calls()
    {
        return List.copyOf(calls);
    }

    /** How many of the expected statements were accepted and started. */
    public synchronized int started()
    {
        return accepted;
    }

    /** The query ids that StopQueryExecution was called for. */
    public synchronized List<String> stopped()
    {
        return List.copyOf(stopped);
    }

    /** The ids of the queries started for the statement at {@code index}, in order (a retry is another query). */
    public synchronized List<String> queries(int index)
    {
        return queries.values().stream().filter(query -> query.index == index).map(query -> query.id).toList();
    }

    /** The count(*) queries the runner derived from a CTAS whose UpdateCount was missing, as sent. */
    public synchronized List<String> counted()
    {
        return List.copyOf(counted);
    }

    /** How often the run has polled the query with this id. */
    public synchronized int polls(String id)
    {
        Query query = queries.get(id);
        return query == null ? 0 : query.polls;
    }

    /** The client request token of every StartQueryExecution call, throttled and dropped ones included, in order. */
    public synchronized List<String> startTokens()
    {
        return List.copyOf(startTokens);
    }

    /** The location template of a table of the catalog, if it has the table and the table has one. */
    public synchronized Optional<String> template(String table)
    {
        return Optional.ofNullable(tables.get(table)).flatMap(made -> made.template);
    }

    /** The catalog's tables, by name. */
    public synchronized Set<String> tables()
    {
        return Set.copyOf(tables.keySet());
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Optional<Reply> reply = answer(exchange, body);
            if (reply.isEmpty()) {
                // no answer: closing the exchange before its headers are sent closes the connection
                return;
            }
            byte[] bytes = JSON.writeValueAsBytes(reply.get().body());
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "stub-" + System.nanoTime());
            if (reply.get().errorType() != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", reply.get().errorType());
            }
            exchange.sendResponseHeaders(reply.get().status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private synchronized Optional<Reply> answer(HttpExchange exchange, byte[] body)
    {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/") || target == null || !target.startsWith("AmazonAthena.")) {
            return Optional.of(violation("not an Athena JSON 1.1 call: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " X-Amz-Target " + target));
        }
        String operation = target.substring("AmazonAthena.".length());
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Matcher credential = CREDENTIAL.matcher(authorization);
        if (!credential.matches() || !credential.group(1).equals(expected.region()) || !credential.group(2).equals("athena")) {
            return Optional.of(violation(operation + " is not signed with SigV4 for athena in " + expected.region() + ": " + authorization));
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        }
        catch (IOException e) {
            return Optional.of(violation(operation + " with a body that is not JSON: " + e.getMessage()));
        }
        if (operation.equals("StartQueryExecution")) {
            startTokens.add(request.path("ClientRequestToken").asText(""));
        }
        if (operation.equals("GetQueryExecution")) {
            Optional<Query> polled = query(request);
            if (polled.isPresent() && droppedPolls.getOrDefault(polled.get().index, 0) > 0) {
                droppedPolls.merge(polled.get().index, -1, Integer::sum);
                calls.add(operation + ":dropped");
                return Optional.empty();
            }
        }
        Deque<Boolean> dropped = drops.get(operation);
        if (dropped != null && !dropped.isEmpty()) {
            boolean afterEffect = dropped.poll();
            calls.add(operation + ":dropped");
            if (afterEffect) {
                operate(operation, request);
            }
            return Optional.empty();
        }
        Deque<String> throttled = throttles.get(operation);
        if (throttled != null && !throttled.isEmpty()) {
            String errorType = throttled.poll();
            calls.add(operation + ":" + errorType);
            int status = errorType.equals("InternalServerException") ? 500 : 400;
            return Optional.of(new Reply(status, error(errorType, "stub: scripted " + errorType), errorType));
        }
        calls.add(operation);
        return Optional.of(operate(operation, request));
    }

    private Reply operate(String operation, JsonNode request)
    {
        return switch (operation) {
            case "StartQueryExecution" -> start(request);
            case "GetQueryExecution" -> query(request).map(this::describe).orElseGet(() -> unknownQuery(operation, request));
            case "GetQueryRuntimeStatistics" -> query(request).map(this::runtimeStatistics).orElseGet(() -> unknownQuery(operation, request));
            case "GetQueryResults" -> query(request).map(query -> results(query, request)).orElseGet(() -> unknownQuery(operation, request));
            case "StopQueryExecution" -> query(request).map(this::stop).orElseGet(() -> unknownQuery(operation, request));
            case "GetTableMetadata" -> tableMetadata(request);
            case "ListQueryExecutions" -> listQueries(request);
            case "BatchGetQueryExecution" -> batchDescribe(request);
            default -> violation("unexpected operation " + operation);
        };
    }

    private Reply start(JsonNode request)
    {
        String token = request.path("ClientRequestToken").asText("");
        if (token.length() < 32 || token.length() > 128) {
            return violation("StartQueryExecution without a client request token of 32 to 128 characters: '" + token + "'");
        }
        String sql = request.path("QueryString").asText();
        String known = tokens.get(token);
        if (known != null) {
            // Athena's idempotency: the same token is the same query, never a second run
            if (!queries.get(known).sql.equals(sql)) {
                return violation("client request token " + token + " reused for other SQL");
            }
            return new Reply(200, object("QueryExecutionId", known), null);
        }
        List<String> problems = new ArrayList<>();
        check(problems, "workgroup", request.path("WorkGroup").asText(null), expected.workgroup());
        check(problems, "catalog", request.path("QueryExecutionContext").path("Catalog").asText(null), expected.catalog());
        check(problems, "database", request.path("QueryExecutionContext").path("Database").asText(null), expected.database());
        check(problems, "output location", request.path("ResultConfiguration").path("OutputLocation").asText(null), expected.outputLocation());
        Optional<Integer> index = Optional.empty();
        if (problems.isEmpty()) {
            index = expectedIndex(sql);
            if (index.isEmpty() && !countOfCtas(sql)) {
                problems.add("not the next expected statement of any sequence (" + nextStatements() + "), got:\n" + sql);
            }
        }
        if (!problems.isEmpty()) {
            return violation("StartQueryExecution: " + String.join("; ", problems));
        }
        int at = index.orElse(-1);
        QueryScript script;
        if (at < 0) {
            counted.add(sql);
            Table table = tableReferences(sql).stream().findFirst().map(tables::get).orElseThrow();
            script = QueryScript.succeeds().returns(List.of("_col0"), List.of(List.of(String.valueOf(table.rows))));
        }
        else {
            List<QueryScript> attempts = scripts.getOrDefault(at, List.of(QueryScript.succeeds()));
            script = attempts.get(Math.min(queries(at).size(), attempts.size() - 1));
        }
        Query query = new Query("stub-" + (++attempt), at, sql, script);
        query.refusal = refusal(query);
        queries.put(query.id, query);
        tokens.put(token, query.id);
        return new Reply(200, object("QueryExecutionId", query.id), null);
    }

    /**
     * The index of the expected statement this SQL is: the next one of a sequence (its run id the
     * one that sequence started with), or the last one of a sequence again after its query failed
     * (a retry; whether it should have been retried is for the test to judge).
     */
    private Optional<Integer> expectedIndex(String sql)
    {
        Set<String> runs = runIds(sql);
        String normalized = RUN_ID.matcher(sql).replaceAll("<run>");
        for (int sequence = 0; sequence < pending.length; sequence++) {
            if (runs.size() > 1 || boundRun[sequence] != null && !runs.isEmpty() && !runs.contains(boundRun[sequence])) {
                continue;
            }
            int last = pending[sequence] - 1;
            if (last >= 0 && sequenceOf.get(last) == sequence && normalize(statements.get(last)).equals(normalized) && failed(last)) {
                return Optional.of(last);
            }
            int next = pending[sequence];
            if (next < statements.size() && sequenceOf.get(next) == sequence && normalize(statements.get(next)).equals(normalized)) {
                if (boundRun[sequence] == null && !runs.isEmpty()) {
                    boundRun[sequence] = runs.iterator().next();
                }
                pending[sequence]++;
                accepted++;
                return Optional.of(next);
            }
        }
        return Optional.empty();
    }

    /** A {@code SELECT count(*)} of a table a CTAS made whose GetQueryResults had no UpdateCount: the one query the runner may add. */
    private boolean countOfCtas(String sql)
    {
        if (!sql.matches("SELECT count\\(\\*\\) FROM \"[^\"]+\"\\.\"[^\"]+\"")) {
            return false;
        }
        List<String> referenced = tableReferences(sql);
        return referenced.size() == 1 && tables.containsKey(referenced.get(0)) && tables.get(referenced.get(0)).countable;
    }

    private boolean failed(int index)
    {
        List<String> ids = queries(index);
        return !ids.isEmpty() && queries.get(ids.get(ids.size() - 1)).state().equals("FAILED");
    }

    private String nextStatements()
    {
        List<String> next = new ArrayList<>();
        for (int sequence = 0; sequence < pending.length; sequence++) {
            int at = pending[sequence];
            next.add(at < statements.size() && sequenceOf.get(at) == sequence ? "sequence " + sequence + " expects statement " + at + ":\n" + statements.get(at)
                    : "sequence " + sequence + " is done");
        }
        return String.join("\n", next);
    }

    /**
     * What Athena refuses of a statement when it runs it, as the catalog and S3 stand: the reason
     * its query FAILS, or null.
     */
    private String refusal(Query query)
    {
        String sql = query.sql;
        Matcher external = EXTERNAL_TABLE.matcher(sql);
        if (external.matches()) {
            String table = name(external, 5);
            if (tables.containsKey(table) && external.group(1) == null) {
                return "FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. AlreadyExistsException(message:Table " + table + " already exists)";
            }
            return null;
        }
        Matcher drop = DROP.matcher(sql);
        if (drop.matches()) {
            return !tables.containsKey(name(drop, 5)) && drop.group(1) == null ? "FAILED: SemanticException [Error 10001]: Table not found " + name(drop, 5) : null;
        }
        for (String table : tableReferences(sql)) {
            if (!tables.containsKey(table)) {
                return "TABLE_NOT_FOUND: line 1:1: Table 'awsdatacatalog." + expected.database() + "." + table + "' does not exist";
            }
            Optional<String> unreadable = unreadableFile(tables.get(table));
            if (unreadable.isPresent()) {
                return unreadable.get();
            }
        }
        Matcher ctas = CTAS.matcher(sql);
        if (ctas.matches()) {
            String table = name(ctas, 4);
            Map<String, String> properties = properties(ctas.group(7));
            if (tables.containsKey(table)) {
                return "TABLE_ALREADY_EXISTS: line 1:1: Table 'awsdatacatalog." + expected.database() + "." + table + "' already exists";
            }
            query.target = properties.get("external_location");
            if (query.target == null) {
                return "the stub runs CTAS with an external_location only";
            }
            try {
                if (!storage.listRecursively(new Location(query.target)).isEmpty()) {
                    return "HIVE_PATH_ALREADY_EXISTS: Target directory for table '" + expected.database() + "." + table + "' already exists: " + query.target
                            + ". You may need to manually clean the data at location before retrying.";
                }
            }
            catch (IOException e) {
                violations.add("cannot list the CTAS location " + query.target + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** A file of a text table whose name's extension would have Athena read it with the wrong codec. */
    private Optional<String> unreadableFile(Table table)
    {
        if (!table.format.equals("JSON") && !table.format.equals("TEXTFILE")) {
            return Optional.empty();
        }
        try {
            for (Location file : storage.listRecursively(new Location(table.location))) {
                if (file.fileName().startsWith("_") || file.fileName().startsWith(".")) {
                    continue;
                }
                byte[] content = storage.read(file).orElse(new byte[0]);
                boolean gzip = content.length > 1 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b;
                if (gzip != file.fileName().endsWith(".gz")) {
                    return Optional.of("HIVE_CURSOR_ERROR: Row is not a valid JSON Object - JSONException: " + file + " read as "
                            + (gzip ? "plain text, though it is gzip" : "gzip, though it is plain text") + " (the stub: Athena picks a text file's codec by its extension)");
                }
            }
        }
        catch (IOException e) {
            violations.add("cannot read the files of table " + table.name + ": " + e.getMessage());
        }
        return Optional.empty();
    }

    /** What a query that has just succeeded did to the catalog and S3. */
    private void apply(Query query)
    {
        String sql = query.sql;
        Matcher external = EXTERNAL_TABLE.matcher(sql);
        if (external.matches()) {
            Matcher template = TEMPLATE.matcher(external.group(9));
            String table = name(external, 5);
            String format = sql.toUpperCase(Locale.ROOT).contains("JSONSERDE") ? "JSON" : sql.toUpperCase(Locale.ROOT).contains("STORED AS TEXTFILE") ? "TEXTFILE" : "PARQUET";
            // IF NOT EXISTS: the catalog keeps the first definition
            tables.putIfAbsent(table, new Table(table, external.group(8), template.matches() ? Optional.of(template.group(1)) : Optional.empty(), format));
            return;
        }
        Matcher drop = DROP.matcher(sql);
        if (drop.matches()) {
            // an external table: the catalog forgets it, its files stay
            tables.remove(name(drop, 5));
            return;
        }
        Matcher ctas = CTAS.matcher(sql);
        if (ctas.matches()) {
            String table = name(ctas, 4);
            Map<String, String> properties = properties(ctas.group(7));
            Table made = new Table(table, query.target, Optional.empty(), properties.getOrDefault("format", "PARQUET").toUpperCase(Locale.ROOT));
            made.rows = query.script.written();
            made.countable = !query.script.updateCount();
            tables.put(table, made);
            for (Map.Entry<String, byte[]> file : query.script.files().entrySet()) {
                try {
                    storage.write(new Location(query.target + file.getKey()), file.getValue());
                }
                catch (IOException e) {
                    violations.add("cannot write " + file.getKey() + " into " + query.target + ": " + e.getMessage());
                }
            }
        }
    }

    /** What the catalog holds of a table: its location, and its projection's template among its properties. */
    private Reply tableMetadata(JsonNode request)
    {
        List<String> problems = new ArrayList<>();
        check(problems, "catalog", request.path("CatalogName").asText(null), expected.catalog());
        check(problems, "database", request.path("DatabaseName").asText(null), expected.database());
        if (!problems.isEmpty()) {
            return violation("GetTableMetadata: " + String.join("; ", problems));
        }
        String name = request.path("TableName").asText();
        Table table = tables.get(name);
        if (table == null) {
            return new Reply(400, error("MetadataException", "stub: table " + name + " not found"), "MetadataException");
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("Name", name);
        metadata.put("TableType", "EXTERNAL_TABLE");
        ObjectNode parameters = metadata.putObject("Parameters");
        parameters.put("location", table.location);
        table.template.ifPresent(template -> parameters.put("storage.location.template", template));
        ObjectNode reply = JSON.createObjectNode();
        reply.set("TableMetadata", metadata);
        return new Reply(200, reply, null);
    }

    private Reply describe(Query query)
    {
        query.polls++;
        String state = query.state();
        if (state.equals("SUCCEEDED") && !query.applied) {
            query.applied = true;
            apply(query);
        }
        ObjectNode execution = JSON.createObjectNode();
        execution.put("QueryExecutionId", query.id);
        execution.put("Query", query.sql);
        execution.put("StatementType", ddl(query.sql) ? "DDL" : "DML");
        execution.put("WorkGroup", expected.workgroup());
        execution.putObject("ResultConfiguration").put("OutputLocation", expected.outputLocation() + query.id + ".csv");
        execution.putObject("QueryExecutionContext").put("Catalog", expected.catalog()).put("Database", expected.database());
        ObjectNode status = execution.putObject("Status");
        status.put("State", state);
        status.put("SubmissionDateTime", query.submitted.getEpochSecond());
        if (state.equals("FAILED")) {
            String reason = query.refusal != null ? query.refusal : query.script.reason();
            status.put("StateChangeReason", reason);
            ObjectNode error = status.putObject("AthenaError");
            error.put("ErrorCategory", query.refusal != null ? 2 : query.script.errorCategory());
            error.put("ErrorType", query.refusal != null ? 1000 : query.script.errorType());
            error.put("Retryable", query.refusal == null && query.script.retryable());
            error.put("ErrorMessage", reason);
            if (query.script.leavesFiles() && query.target != null && !query.leftFiles) {
                query.leftFiles = true;
                try {
                    storage.write(new Location(query.target + "orphan-of-" + query.id), new byte[] {1});
                }
                catch (IOException e) {
                    violations.add("cannot leave a file in " + query.target + ": " + e.getMessage());
                }
            }
        }
        if (state.equals("CANCELLED")) {
            status.put("StateChangeReason", query.stopped ? "Query cancelled by StopQueryExecution" : query.script.reason());
        }
        if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
            status.put("CompletionDateTime", Instant.now().getEpochSecond());
            ObjectNode statistics = execution.putObject("Statistics");
            statistics.put("EngineExecutionTimeInMillis", query.script.engineMillis());
            statistics.put("DataScannedInBytes", state.equals("FAILED") ? 0 : query.script.bytesScanned());
            statistics.put("QueryQueueTimeInMillis", query.script.queueMillis());
            statistics.put("TotalExecutionTimeInMillis", query.script.engineMillis() + query.script.queueMillis());
        }
        return new Reply(200, JSON.createObjectNode().set("QueryExecution", execution), null);
    }

    private Reply runtimeStatistics(Query query)
    {
        if (!query.state().equals("SUCCEEDED")) {
            return violation("GetQueryRuntimeStatistics for " + query.id + " before it succeeded (" + query.state() + ")");
        }
        if (ddl(query.sql)) {
            return violation("GetQueryRuntimeStatistics for DDL query " + query.id + ": it reads and writes no rows");
        }
        query.statisticsCalls++;
        ObjectNode statistics = JSON.createObjectNode();
        ObjectNode runtime = statistics.putObject("QueryRuntimeStatistics");
        runtime.putObject("Timeline").put("EngineExecutionTimeInMillis", query.script.engineMillis()).put("QueryQueueTimeInMillis", query.script.queueMillis());
        int after = query.script.statisticsAfter();
        if (after >= 0 && query.statisticsCalls > after) {
            ObjectNode rows = runtime.putObject("Rows");
            rows.put("InputRows", query.script.inputRows());
            rows.put("InputBytes", query.script.bytesScanned());
            // rows returned: a CTAS returns one row, the count, which is not the rows it wrote
            rows.put("OutputRows", CTAS.matcher(query.sql).matches() ? 1 : query.script.rows().size());
            rows.put("OutputBytes", 8);
        }
        return new Reply(200, statistics, null);
    }

    private Reply results(Query query, JsonNode request)
    {
        if (!query.state().equals("SUCCEEDED")) {
            return violation("GetQueryResults for " + query.id + " before it succeeded (" + query.state() + ")");
        }
        if (ddl(query.sql)) {
            return violation("GetQueryResults for DDL query " + query.id);
        }
        ObjectNode reply = JSON.createObjectNode();
        if (CTAS.matcher(query.sql).matches()) {
            if (query.script.updateCount()) {
                reply.put("UpdateCount", query.script.written());
            }
            reply.putObject("ResultSet").putArray("Rows");
            return new Reply(200, reply, null);
        }
        ObjectNode resultSet = reply.putObject("ResultSet");
        ArrayNode columns = resultSet.putObject("ResultSetMetadata").putArray("ColumnInfo");
        query.script.columns().forEach(column -> columns.addObject().put("Name", column).put("Label", column).put("Type", "varchar"));
        ArrayNode rows = resultSet.putArray("Rows");
        List<List<String>> all = new ArrayList<>();
        all.add(query.script.columns());
        all.addAll(query.script.rows());
        int max = request.path("MaxResults").asInt(1000);
        for (List<String> row : all.subList(0, Math.min(max, all.size()))) {
            ArrayNode data = rows.addObject().putArray("Data");
            row.forEach(value -> data.addObject().put("VarCharValue", value));
        }
        return new Reply(200, reply, null);
    }

    /**
     * The workgroup's query ids, the newest first, as Athena lists them (its API reference gives no
     * order): at most MaxResults (0 to 50) a page. Without WorkGroup Athena lists the primary
     * workgroup, which is not the one the runner works in.
     */
    private Reply listQueries(JsonNode request)
    {
        String workgroup = request.path("WorkGroup").asText(null);
        if (!expected.workgroup().equals(workgroup)) {
            return violation("ListQueryExecutions of workgroup " + (workgroup == null ? "primary (none given)" : workgroup) + ", not " + expected.workgroup());
        }
        int max = request.path("MaxResults").asInt(50);
        String token = request.path("NextToken").asText(null);
        if (max < 0 || max > 50 || token != null && (token.isEmpty() || token.length() > 1024)) {
            return violation("ListQueryExecutions with MaxResults " + max + " (0 to 50) or a NextToken of " + (token == null ? 0 : token.length()) + " characters (1 to 1024)");
        }
        List<String> newestFirst = new ArrayList<>(queries.keySet());
        java.util.Collections.reverse(newestFirst);
        int from = token == null ? 0 : Integer.parseInt(token.substring("page-".length()));
        List<String> page = newestFirst.subList(Math.min(from, newestFirst.size()), Math.min(from + max, newestFirst.size()));
        ObjectNode reply = JSON.createObjectNode();
        page.forEach(reply.putArray("QueryExecutionIds")::add);
        if (from + max < newestFirst.size()) {
            reply.put("NextToken", "page-" + (from + max));
        }
        return new Reply(200, reply, null);
    }

    /** The queries of 1 to 50 ids as they stand (a look, not a poll: it moves no query on); an id it never started is unprocessed. */
    private Reply batchDescribe(JsonNode request)
    {
        JsonNode ids = request.path("QueryExecutionIds");
        if (!ids.isArray() || ids.size() < 1 || ids.size() > 50) {
            return violation("BatchGetQueryExecution with " + (ids.isArray() ? ids.size() : 0) + " QueryExecutionIds (1 to 50)");
        }
        ObjectNode reply = JSON.createObjectNode();
        ArrayNode found = reply.putArray("QueryExecutions");
        ArrayNode unprocessed = reply.putArray("UnprocessedQueryExecutionIds");
        for (JsonNode id : ids) {
            Query query = queries.get(id.asText());
            if (query == null) {
                unprocessed.addObject().put("QueryExecutionId", id.asText()).put("ErrorCode", "InvalidRequestException").put("ErrorMessage", "QueryExecution not found");
                continue;
            }
            ObjectNode execution = found.addObject();
            execution.put("QueryExecutionId", query.id);
            execution.put("Query", query.sql);
            execution.put("StatementType", ddl(query.sql) ? "DDL" : "DML");
            execution.put("WorkGroup", expected.workgroup());
            execution.putObject("Status").put("State", query.polls == 0 ? "QUEUED" : query.state()).put("SubmissionDateTime", query.submitted.getEpochSecond());
        }
        return new Reply(200, reply, null);
    }

    private Reply stop(Query query)
    {
        stopped.add(query.id);
        query.stopped = true;
        return new Reply(200, JSON.createObjectNode(), null);
    }

    private Optional<Query> query(JsonNode request)
    {
        return Optional.ofNullable(queries.get(request.path("QueryExecutionId").asText("")));
    }

    private Reply unknownQuery(String operation, JsonNode request)
    {
        return violation(operation + " of a query this stub never started: " + request.path("QueryExecutionId").asText("(none)"));
    }

    private Reply violation(String message)
    {
        violations.add(message);
        return new Reply(400, error("InvalidRequestException", "stub violation: " + message), "InvalidRequestException");
    }

    /** The tables of this database that a query reads, by name. */
    private List<String> tableReferences(String sql)
    {
        Set<String> names = new LinkedHashSet<>();
        Matcher matcher = TABLE_REFERENCE.matcher(sql);
        while (matcher.find()) {
            if (name(matcher, 1).equals(expected.database())) {
                names.add(name(matcher, 4));
            }
        }
        return List.copyOf(names);
    }

    /** The name of the three alternative groups (backticks, quotes, bare) starting at {@code group}. */
    private static String name(Matcher matcher, int group)
    {
        for (int i = group; i < group + 3; i++) {
            if (matcher.group(i) != null) {
                return matcher.group(i).toLowerCase(Locale.ROOT);
            }
        }
        throw new IllegalStateException("no name at group " + group);
    }

    private static Map<String, String> properties(String text)
    {
        Map<String, String> properties = new HashMap<>();
        Matcher property = PROPERTY.matcher(text);
        while (property.find()) {
            properties.put(property.group(1).toLowerCase(Locale.ROOT), property.group(2));
        }
        return properties;
    }

    private static boolean ddl(String sql)
    {
        return EXTERNAL_TABLE.matcher(sql).matches() || DROP.matcher(sql).matches();
    }

    private static Set<String> runIds(String sql)
    {
        Set<String> runs = new LinkedHashSet<>();
        Matcher matcher = RUN_ID.matcher(sql);
        while (matcher.find()) {
            runs.add(matcher.group());
        }
        return runs;
    }

    private static String normalize(String sql)
    {
        return RUN_ID.matcher(sql).replaceAll("<run>");
    }

    private static void check(List<String> problems, String what, String actual, String wanted)
    {
        if (!wanted.equals(actual)) {
            problems.add(what + " " + actual + ", expected " + wanted);
        }
    }

    private static ObjectNode object(String key, String value)
    {
        return JSON.createObjectNode().put(key, value);
    }

    private static ObjectNode error(String type, String message)
    {
        return JSON.createObjectNode().put("__type", type).put("message", message);
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }

    private record Reply(int status, JsonNode body, String errorType) {}

    /** A table of the stub's catalog: where its files are, its projection's template, its format; a CTAS's also its rows. */
    private static final class Table
    {
        private final String name;
        private final String location;
        private final Optional<String> template;
        private final String format;
        private long rows;
        private boolean countable;

        Table(String name, String location, Optional<String> template, String format)
        {
            this.name = name;
            this.location = location;
            this.template = template;
            this.format = format;
        }
    }

    /** One started query: its script, how often it was polled, whether it was stopped. */
    private static final class Query
    {
        private final String id;
        private final int index;
        private final String sql;
        private final QueryScript script;
        private final Instant submitted = Instant.now();
        private int polls;
        private int statisticsCalls;
        private boolean stopped;
        private boolean applied;
        private boolean leftFiles;
        private String target;
        private String refusal;

        Query(String id, int index, String sql, QueryScript script)
        {
            this.id = id;
            this.index = index;
            this.sql = sql;
            this.script = script;
        }

        /** The state the latest poll saw: the script's, a refusal's FAILED, or CANCELLED once stopped. */
        String state()
        {
            if (refusal != null) {
                return polls == 0 ? "QUEUED" : "FAILED";
            }
            String scripted = script.states().get(Math.max(0, Math.min(polls, script.states().size()) - 1));
            boolean ended = scripted.equals("SUCCEEDED") || scripted.equals("FAILED") || scripted.equals("CANCELLED");
            return stopped && !ended ? "CANCELLED" : scripted.toUpperCase(Locale.ROOT);
        }
    }
}
