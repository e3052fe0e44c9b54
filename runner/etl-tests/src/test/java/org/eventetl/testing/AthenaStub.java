package org.eventetl.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import org.eventetl.storage.Location;
import org.eventetl.storage.Storage;

import static java.util.Objects.requireNonNull;

/**
 * A stub of the Amazon Athena API on loopback, for tests: not Athena, and it runs no SQL. It speaks
 * the JSON 1.1 protocol the AWS SDK uses ({@code POST /}, {@code X-Amz-Target: AmazonAthena.<Operation>},
 * errors as {@code {"__type": …, "message": …}}) for the four operations the runner needs, and it
 * is strict: any other operation, an unsigned request or one signed for another service or region,
 * another workgroup, catalog, database or result location, and any SQL other than the next
 * expected statement is recorded as a violation and answered with an error, so the run fails and
 * the test sees why. Each query follows its {@link QueryScript}: the states its polls see, its
 * statistics, how it fails. Throttling is scripted per operation. Like Athena, an UNLOAD into a
 * location that holds anything fails with HIVE_PATH_ALREADY_EXISTS (checked through S3).
 */
public final class AthenaStub
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CREDENTIAL = Pattern.compile("AWS4-HMAC-SHA256 Credential=[^/]+/[0-9]{8}/([^/]+)/([^/]+)/aws4_request,.*");
    private static final Pattern CREATED_TABLE = Pattern.compile(
            "(?s)^CREATE EXTERNAL TABLE IF NOT EXISTS `[^`]+`\\.(\\w+)\\b.*'storage\\.location\\.template' = '([^']*)'.*");
    private static final Pattern UNLOAD_TARGET = Pattern.compile("(?s)^UNLOAD\\b.*\\)\\s*TO\\s*'([^']*)'\\s*WITH\\b.*");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Expected expected;
    private final Storage storage;
    private final List<String> statements;
    private final Map<Integer, List<QueryScript>> scripts = new HashMap<>();
    private final List<String> startTokens = new ArrayList<>();
    private final Map<String, Deque<String>> throttles = new HashMap<>();
    private final Map<String, Query> queries = new LinkedHashMap<>();
    private final Map<String, String> tableTemplates = new HashMap<>();
    private final Map<String, String> tokens = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> calls = new ArrayList<>();
    private final List<String> stopped = new ArrayList<>();
    private int next;
    private int attempt;

    /**
     * @param statements the exact statements the run must send, in order (each as {@code render}
     *         prints it, without the comment lines before its first word)
     * @param storage the S3 the run writes to, where an UNLOAD's location must be empty
     */
    public AthenaStub(Expected expected, List<String> statements, Storage storage)
            throws IOException
    {
        this.expected = requireNonNull(expected, "expected is null");
        this.statements = List.copyOf(requireNonNull(statements, "statements is null"));
        this.storage = requireNonNull(storage, "storage is null");
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
     * ends, and for a failure Athena's reason and error. A failure marked {@code leavesFiles} writes
     * a file into its UNLOAD location first, as a failed Athena write leaves its files behind.
     */
    public record QueryScript(List<String> states, long bytesScanned, long engineMillis, long queueMillis, Optional<Long> inputRows, Optional<Long> outputRows,
            String failureReason, int errorCategory, int errorType, boolean retryable, boolean leavesFiles)
    {
        public QueryScript
        {
            states = List.copyOf(requireNonNull(states, "states is null"));
            requireNonNull(inputRows, "inputRows is null");
            requireNonNull(outputRows, "outputRows is null");
        }

        public static QueryScript succeeds()
        {
            return new QueryScript(List.of("RUNNING", "SUCCEEDED"), 0, 0, 0, Optional.of(0L), Optional.of(0L), null, 0, 0, false, false);
        }

        public QueryScript states(String... sequence)
        {
            return new QueryScript(List.of(sequence), bytesScanned, engineMillis, queueMillis, inputRows, outputRows, failureReason, errorCategory, errorType, retryable, leavesFiles);
        }

        public QueryScript scanned(long bytes, long engine, long queue)
        {
            return new QueryScript(states, bytes, engine, queue, inputRows, outputRows, failureReason, errorCategory, errorType, retryable, leavesFiles);
        }

        public QueryScript rows(long input, long output)
        {
            return new QueryScript(states, bytesScanned, engineMillis, queueMillis, Optional.of(input), Optional.of(output), failureReason, errorCategory, errorType, retryable, leavesFiles);
        }

        public QueryScript fails(String reason, int category, int type, boolean canRetry, boolean leaveFiles)
        {
            return new QueryScript(List.of("QUEUED", "RUNNING", "FAILED"), bytesScanned, engineMillis, queueMillis, inputRows, outputRows, reason, category, type, canRetry, leaveFiles);
        }
    }

    public URI endpoint()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /**
     * The scripts of the statement at {@code index} of the expected ones: the first for its first
     * query, the next for a retry, the last for any later one. Unscripted statements simply succeed.
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

    public synchronized List<String> violations()
    {
        return List.copyOf(violations);
    }

    /** Every call, as {@code Operation} or {@code Operation:throttled}, in order. */
    public synchronized List<String> calls()
    {
        return List.copyOf(calls);
    }

    /** How many of the expected statements were accepted and started. */
    public synchronized int started()
    {
        return next;
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

    /** How often the run has polled the query with this id. */
    public synchronized int polls(String id)
    {
        Query query = queries.get(id);
        return query == null ? 0 : query.polls;
    }

    /** The client request token of every StartQueryExecution call, throttled ones included, in order. */
    public synchronized List<String> startTokens()
    {
        return List.copyOf(startTokens);
    }

    private void handle(HttpExchange exchange)
            throws IOException
    {
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            Reply reply = answer(exchange, body);
            byte[] bytes = JSON.writeValueAsBytes(reply.body());
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "stub-" + System.nanoTime());
            if (reply.errorType() != null) {
                exchange.getResponseHeaders().set("x-amzn-ErrorType", reply.errorType());
            }
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    private synchronized Reply answer(HttpExchange exchange, byte[] body)
    {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals("/") || target == null || !target.startsWith("AmazonAthena.")) {
            return violation("not an Athena JSON 1.1 call: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " X-Amz-Target " + target);
        }
        String operation = target.substring("AmazonAthena.".length());
        String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        Matcher credential = CREDENTIAL.matcher(authorization);
        if (!credential.matches() || !credential.group(1).equals(expected.region()) || !credential.group(2).equals("athena")) {
            return violation(operation + " is not signed with SigV4 for athena in " + expected.region() + ": " + authorization);
        }
        JsonNode request;
        try {
            request = JSON.readTree(body);
        }
        catch (IOException e) {
            return violation(operation + " with a body that is not JSON: " + e.getMessage());
        }
        if (operation.equals("StartQueryExecution")) {
            startTokens.add(request.path("ClientRequestToken").asText(""));
        }
        Deque<String> throttled = throttles.get(operation);
        if (throttled != null && !throttled.isEmpty()) {
            String errorType = throttled.poll();
            calls.add(operation + ":" + errorType);
            int status = errorType.equals("InternalServerException") ? 500 : 400;
            return new Reply(status, error(errorType, "stub: scripted " + errorType), errorType);
        }
        calls.add(operation);
        return switch (operation) {
            case "StartQueryExecution" -> start(request);
            case "GetQueryExecution" -> query(request).map(this::describe).orElseGet(() -> unknownQuery(operation, request));
            case "GetQueryRuntimeStatistics" -> query(request).map(this::runtimeStatistics).orElseGet(() -> unknownQuery(operation, request));
            case "StopQueryExecution" -> query(request).map(this::stop).orElseGet(() -> unknownQuery(operation, request));
            case "GetTableMetadata" -> tableMetadata(request);
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
            Query query = queries.get(known);
            if (!query.sql.equals(sql)) {
                return violation("client request token " + token + " reused for other SQL");
            }
            return new Reply(200, object("QueryExecutionId", known), null);
        }
        List<String> problems = new ArrayList<>();
        check(problems, "workgroup", request.path("WorkGroup").asText(null), expected.workgroup());
        check(problems, "catalog", request.path("QueryExecutionContext").path("Catalog").asText(null), expected.catalog());
        check(problems, "database", request.path("QueryExecutionContext").path("Database").asText(null), expected.database());
        check(problems, "output location", request.path("ResultConfiguration").path("OutputLocation").asText(null), expected.outputLocation());
        if (next >= statements.size()) {
            problems.add("no statement expected after the " + statements.size() + " expected ones, got:\n" + sql);
        }
        else if (!statements.get(next).equals(sql) && !retryOf(next - 1, sql)) {
            problems.add("statement " + next + " differs from the expected one.\nexpected:\n" + statements.get(next) + "\nactual:\n" + sql);
        }
        if (!problems.isEmpty()) {
            return violation("StartQueryExecution: " + String.join("; ", problems));
        }
        int index = retryOf(next - 1, sql) ? next - 1 : next++;
        List<QueryScript> attempts = scripts.getOrDefault(index, List.of(QueryScript.succeeds()));
        Query query = new Query("stub-" + (++attempt), index, sql, attempts.get(Math.min(queries(index).size(), attempts.size() - 1)));
        queries.put(query.id, query);
        tokens.put(token, query.id);
        Matcher created = CREATED_TABLE.matcher(sql);
        if (created.matches()) {
            // IF NOT EXISTS: the catalog keeps the first definition
            tableTemplates.putIfAbsent(created.group(1), created.group(2));
        }
        Matcher unload = UNLOAD_TARGET.matcher(sql);
        if (unload.matches()) {
            query.target = unload.group(1);
            try {
                if (!storage.listRecursively(new Location(query.target)).isEmpty()) {
                    // what Athena does with a location that is not empty
                    query.refusal = "HIVE_PATH_ALREADY_EXISTS: Target directory for table already exists: " + query.target
                            + ". You may need to manually clean the data at location before retrying.";
                }
            }
            catch (IOException e) {
                return violation("cannot list the UNLOAD location " + query.target + ": " + e.getMessage());
            }
        }
        return new Reply(200, object("QueryExecutionId", query.id), null);
    }

    /**
     * A statement started again after its query failed (a retry) is the same expected statement, not
     * the next one; whether it should have been retried at all is for the test to judge.
     */
    private boolean retryOf(int index, String sql)
    {
        return index >= 0 && index < statements.size() && statements.get(index).equals(sql)
                && queries.values().stream().anyMatch(query -> query.index == index && query.state().equals("FAILED"));
    }

    /**
     * A table made in the catalog before this run, as Glue would keep it from an earlier load: only
     * its partition projection's location template is modelled.
     */
    public synchronized AthenaStub table(String name, String locationTemplate)
    {
        tableTemplates.put(name, locationTemplate);
        return this;
    }

    /** What the catalog holds of a table: the projection template its CREATE gave it. */
    private Reply tableMetadata(JsonNode request)
    {
        List<String> problems = new ArrayList<>();
        check(problems, "catalog", request.path("CatalogName").asText(null), expected.catalog());
        check(problems, "database", request.path("DatabaseName").asText(null), expected.database());
        if (!problems.isEmpty()) {
            return violation("GetTableMetadata: " + String.join("; ", problems));
        }
        String table = request.path("TableName").asText();
        String template = tableTemplates.get(table);
        if (template == null) {
            return new Reply(400, error("MetadataException", "stub: table " + table + " not found"), "MetadataException");
        }
        ObjectNode metadata = JSON.createObjectNode();
        metadata.put("Name", table);
        metadata.putObject("Parameters").put("storage.location.template", template);
        ObjectNode reply = JSON.createObjectNode();
        reply.set("TableMetadata", metadata);
        return new Reply(200, reply, null);
    }

    private Reply describe(Query query)
    {
        query.polls++;
        String state = query.state();
        ObjectNode execution = JSON.createObjectNode();
        execution.put("QueryExecutionId", query.id);
        execution.put("Query", query.sql);
        execution.put("StatementType", query.sql.regionMatches(true, 0, "CREATE", 0, 6) || query.sql.regionMatches(true, 0, "DROP", 0, 4) ? "DDL" : "DML");
        execution.put("WorkGroup", expected.workgroup());
        execution.putObject("ResultConfiguration").put("OutputLocation", expected.outputLocation() + query.id + ".csv");
        execution.putObject("QueryExecutionContext").put("Catalog", expected.catalog()).put("Database", expected.database());
        ObjectNode status = execution.putObject("Status");
        status.put("State", state);
        status.put("SubmissionDateTime", query.submitted.getEpochSecond());
        if (state.equals("FAILED")) {
            String reason = query.refusal != null ? query.refusal : query.script.failureReason();
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
            status.put("StateChangeReason", "Query cancelled by StopQueryExecution");
        }
        if (state.equals("SUCCEEDED") || state.equals("FAILED") || state.equals("CANCELLED")) {
            status.put("CompletionDateTime", Instant.now().getEpochSecond());
            ObjectNode statistics = execution.putObject("Statistics");
            statistics.put("EngineExecutionTimeInMillis", query.script.engineMillis());
            statistics.put("DataScannedInBytes", state.equals("SUCCEEDED") ? query.script.bytesScanned() : 0);
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
        if (query.script.inputRows().isEmpty()) {
            return new Reply(400, error("InvalidRequestException", "Query runtime statistics are not available for " + query.id), "InvalidRequestException");
        }
        ObjectNode statistics = JSON.createObjectNode();
        ObjectNode rows = statistics.putObject("QueryRuntimeStatistics").putObject("Rows");
        rows.put("InputRows", query.script.inputRows().get());
        rows.put("InputBytes", query.script.bytesScanned());
        rows.put("OutputRows", query.script.outputRows().orElse(0L));
        rows.put("OutputBytes", 0);
        return new Reply(200, statistics, null);
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

    /** One started query: its script, how often it was polled, whether it was stopped. */
    private static final class Query
    {
        private final String id;
        private final int index;
        private final String sql;
        private final QueryScript script;
        private final Instant submitted = Instant.now();
        private int polls;
        private boolean stopped;
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
