package org.eventetl.report;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eventetl.storage.LocalFolders;

/**
 * A real headless Chromium driven over the DevTools protocol (java.net.http's WebSocket, no
 * driver library): it opens a page, records every request the page makes (and fails any that is
 * not the page's own file, so nothing reaches a network even if the page tried), every console
 * error and uncaught exception, evaluates scripts and takes screenshots.
 * <p>
 * Chromium is found as {@code $ETL_CHROMIUM}, or {@code chromium}, {@code chromium-browser},
 * {@code google-chrome} on the PATH; {@code .ci/run} installs Debian's {@code chromium}.
 */
final class Chromium
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final List<String> NAMES = List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final ExecutorService events = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chromium-events");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
    private final List<String> blocked = Collections.synchronizedList(new ArrayList<>());
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
    private volatile String session;
    private volatile String allowedUrl = "";

    private Chromium(Process process, Path profile, URI endpoint)
            throws Exception
    {
        this.process = process;
        this.profile = profile;
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(endpoint, new Listener())
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** The Chromium to use, or empty with the reason when there is none. */
    static Optional<Path> find()
    {
        String configured = System.getenv("ETL_CHROMIUM");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(Path.of(configured)).filter(Files::isExecutable);
        }
        String path = System.getenv().getOrDefault("PATH", "");
        for (String name : NAMES) {
            for (String folder : path.split(File.pathSeparator)) {
                Path candidate = Path.of(folder).resolve(name);
                if (Files.isExecutable(candidate)) {
                    return Optional.of(candidate);
                }
            }
        }
        return Optional.empty();
    }

    /** Starts Chromium headless with a fresh profile and opens one tab, the size of a laptop screen. */
    static Chromium start(Path executable, int width, int height)
            throws Exception
    {
        Path profile = Files.createTempDirectory("etl-chromium-");
        List<String> command = List.of(executable.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--mute-audio",
                "--user-data-dir=" + profile, "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        CompletableFuture<URI> endpoint = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = err.readLine()) != null) {
                    Matcher matcher = DEVTOOLS.matcher(line);
                    if (matcher.find()) {
                        endpoint.complete(URI.create(matcher.group(1)));
                    }
                }
            }
            catch (IOException ignored) {
                // the process ended
            }
            endpoint.completeExceptionally(new IllegalStateException("Chromium exited without a DevTools endpoint"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        Chromium chromium;
        try {
            chromium = new Chromium(process, profile, endpoint.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
        }
        catch (Exception e) {
            process.destroyForcibly();
            deleteRecursively(profile);
            throw e;
        }
        chromium.openTab(width, height);
        return chromium;
    }

    private void openTab(int width, int height)
            throws Exception
    {
        String target = call(null, "Target.createTarget", Map.of("url", "about:blank")).path("targetId").asText();
        session = call(null, "Target.attachToTarget", Map.of("targetId", target, "flatten", true)).path("sessionId").asText();
        call("Page.enable", Map.of());
        call("Runtime.enable", Map.of());
        call("Log.enable", Map.of());
        call("Network.enable", Map.of());
        // every request pauses here first; only the page's own file may continue
        call("Fetch.enable", Map.of("patterns", List.of(Map.of("urlPattern", "*"))));
        call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height, "deviceScaleFactor", 1, "mobile", false));
    }

    /** Opens a file and waits for its load event. */
    void open(Path file)
            throws Exception
    {
        String url = file.toUri().toString();
        allowedUrl = url;
        CompletableFuture<Void> load = new CompletableFuture<>();
        loaded = load;
        call("Page.navigate", Map.of("url", url));
        load.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Evaluates an expression in the page; a promise is awaited; the value comes back as JSON. */
    JsonNode evaluate(String expression)
            throws Exception
    {
        JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("the page threw on " + expression + ": " + result.path("exceptionDetails"));
        }
        return result.path("result").path("value");
    }

    /** Waits until the expression is truthy. */
    void await(String expression, Duration timeout)
            throws Exception
    {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!evaluate("Boolean(" + expression + ")").asBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("the page never satisfied " + expression + "; console errors: " + errors);
            }
            Thread.sleep(100);
        }
    }

    /** A PNG of a region of the page, in CSS pixels from the top of the document. */
    byte[] screenshot(double x, double y, double width, double height)
            throws Exception
    {
        JsonNode result = call("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true,
                "clip", Map.of("x", x, "y", y, "width", width, "height", height, "scale", 1)));
        return Base64.getDecoder().decode(result.path("data").asText());
    }

    /** A PNG of the whole document. */
    byte[] screenshotPage()
            throws Exception
    {
        JsonNode size = call("Page.getLayoutMetrics", Map.of()).path("cssContentSize");
        return screenshot(0, 0, size.path("width").asDouble(), size.path("height").asDouble());
    }

    /** Every URL the page asked for, its own included. */
    List<String> requests()
    {
        return List.copyOf(requests);
    }

    /** The requests that were stopped because they would have left the file. */
    List<String> blocked()
    {
        return List.copyOf(blocked);
    }

    /** Console errors, uncaught exceptions and error log entries, in order. */
    List<String> errors()
    {
        return List.copyOf(errors);
    }

    private JsonNode call(String method, Map<String, Object> params)
            throws Exception
    {
        return call(session, method, params);
    }

    private JsonNode call(String sessionId, String method, Map<String, Object> params)
            throws Exception
    {
        return send(sessionId, method, params).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    private CompletableFuture<JsonNode> send(String sessionId, String method, Map<String, Object> params)
    {
        int id = ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode();
        message.put("id", id);
        message.put("method", method);
        message.set("params", JSON.valueToTree(params));
        if (sessionId != null) {
            message.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        synchronized (socket) {
            socket.sendText(message.toString(), true).join();
        }
        return reply;
    }

    private void onMessage(JsonNode message)
    {
        if (message.has("id")) {
            CompletableFuture<JsonNode> reply = replies.remove(message.path("id").asInt());
            if (reply != null) {
                if (message.has("error")) {
                    reply.completeExceptionally(new IllegalStateException("DevTools error: " + message.path("error")));
                }
                else {
                    reply.complete(message.path("result"));
                }
            }
            return;
        }
        JsonNode params = message.path("params");
        switch (message.path("method").asText()) {
            case "Page.loadEventFired" -> loaded.complete(null);
            case "Network.requestWillBeSent" -> requests.add(params.path("request").path("url").asText());
            case "Fetch.requestPaused" -> {
                String url = params.path("request").path("url").asText();
                String requestId = params.path("requestId").asText();
                if (url.equals(allowedUrl)) {
                    send(session, "Fetch.continueRequest", Map.of("requestId", requestId));
                }
                else {
                    blocked.add(url);
                    send(session, "Fetch.failRequest", Map.of("requestId", requestId, "errorReason", "BlockedByClient"));
                }
            }
            case "Runtime.consoleAPICalled" -> {
                if (params.path("type").asText().equals("error") || params.path("type").asText().equals("assert")) {
                    errors.add("console." + params.path("type").asText() + ": " + params.path("args"));
                }
            }
            case "Runtime.exceptionThrown" -> errors.add("exception: " + params.path("exceptionDetails"));
            case "Log.entryAdded" -> {
                if (params.path("entry").path("level").asText().equals("error")) {
                    errors.add("log: " + params.path("entry").path("text").asText() + " " + params.path("entry").path("url").asText());
                }
            }
            default -> {
                // not needed
            }
        }
    }

    @Override
    public void close()
            throws Exception
    {
        try {
            send(null, "Browser.close", Map.of()).get(5, TimeUnit.SECONDS);
        }
        catch (Exception ignored) {
            // it is going away either way
        }
        socket.abort();
        events.shutdownNow();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        deleteRecursively(profile);
    }

    private static void deleteRecursively(Path folder)
            throws IOException
    {
        LocalFolders.deleteTree(folder);
    }

    /** Collects a message's frames and hands it to {@link #onMessage} off the socket's thread. */
    private final class Listener
            implements WebSocket.Listener
    {
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
        {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                events.execute(() -> {
                    try {
                        onMessage(JSON.readTree(message));
                    }
                    catch (IOException e) {
                        errors.add("unreadable DevTools message: " + e.getMessage());
                    }
                });
            }
            webSocket.request(1);
            return null;
        }
    }
}
