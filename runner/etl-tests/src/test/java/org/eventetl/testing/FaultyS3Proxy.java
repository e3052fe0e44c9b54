package org.eventetl.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * A fault-injecting proxy in front of an S3 API (S3Proxy, in the tests): it forwards every request
 * and, for the requests a {@link Rule} picks (CopyObject, DeleteObjects, PutObject of a key,
 * ListObjectsV2; the n-th of them, those from the n-th on, or all), answers 500 InternalError as S3
 * does, or closes the connection without a response, before or after S3 did the request, or holds
 * the request a while.
 * <p>
 * It works at the TCP level and parses only the heads of requests and responses (and their framing,
 * to tell where one ends on a kept-alive connection): SigV4 signs the Host header and the payload,
 * so the client's bytes reach S3Proxy exactly as they were signed, with the proxy's address in Host,
 * and S3Proxy keeps checking signatures as in every other S3 test. Forwarding through an HTTP client
 * instead would rewrite Host and the framing headers and so need S3Proxy without authorization,
 * which would hide a signing mistake; and a dropped connection is only what S3 would do to a
 * client at this level: a socket that closes with no response at all.
 * <p>
 * Each request goes to S3Proxy on a connection of its own (closed after the response), so no stale
 * upstream connection can turn into a fault nobody injected.
 */
public final class FaultyS3Proxy
        implements AutoCloseable
{
    /** How long {@link Fault#SLOW} holds a request before S3 sees it. */
    public static final Duration SLOW_REQUEST = Duration.ofSeconds(2);

    /** What an S3 request does, as far as the rules tell them apart. */
    public enum Operation
    {
        /** PUT of an object with {@code x-amz-copy-source}; its key is the destination's. */
        COPY_OBJECT,
        /** POST {@code ?delete}; its keys are the ones in the body. */
        DELETE_OBJECTS,
        /** PUT of an object with a body (not a part of a multipart upload); its key is the object's. */
        PUT_OBJECT,
        /** GET {@code ?list-type=2}; its key is the {@code prefix} parameter. */
        LIST_OBJECTS_V2,
        /** Anything else (GET, DELETE and HEAD of an object, multipart calls). */
        OTHER,
    }

    /** What the proxy does to a request a rule picks. */
    public enum Fault
    {
        /** Answers 500 InternalError; S3 never sees the request. */
        INTERNAL_ERROR,
        /** Lets S3 do the request, then answers 500 InternalError instead of S3's answer (a retry then meets its own work). */
        INTERNAL_ERROR_AFTER,
        /** Answers 403 AccessDenied, as S3 does to a request its policy refuses; S3 never sees the request. */
        ACCESS_DENIED,
        /** Closes the connection without a response; S3 never sees the request. */
        DROP,
        /** Lets S3 do the request, then closes the connection without its answer: a response lost on the way. */
        DROP_AFTER,
        /** Holds the request for {@link #SLOW_REQUEST}, then forwards it as usual. */
        SLOW,
        /** Lets S3 answer, passes the answer on without its last 10 bytes, and closes the connection: a body cut short on the way. */
        CUT_SHORT,
    }

    /**
     * Which requests get a fault: those of {@code operation} with a key that contains {@code keyContains}
     * ({@code ""}: any), counted from 1 as they arrive (an SDK retry is a request of its own), from
     * the {@code from}-th to the {@code to}-th.
     */
    public record Rule(Operation operation, String keyContains, int from, int to, Fault fault)
    {
        public Rule
        {
            requireNonNull(operation, "operation is null");
            requireNonNull(keyContains, "keyContains is null");
            requireNonNull(fault, "fault is null");
            if (from < 1 || to < from) {
                throw new IllegalArgumentException("requests are counted from 1: from " + from + " to " + to);
            }
        }

        /** Every request of {@code operation} on a key that contains {@code keyContains}. */
        public static Rule every(Operation operation, String keyContains, Fault fault)
        {
            return new Rule(operation, keyContains, 1, Integer.MAX_VALUE, fault);
        }

        /** The {@code nth} such request only. */
        public static Rule nth(int nth, Operation operation, String keyContains, Fault fault)
        {
            return new Rule(operation, keyContains, nth, nth, fault);
        }

        /** The {@code from}-th such request and every later one. */
        public static Rule from(int from, Operation operation, String keyContains, Fault fault)
        {
            return new Rule(operation, keyContains, from, Integer.MAX_VALUE, fault);
        }

        boolean matches(Request request)
        {
            return request.operation() == operation && (keyContains.isEmpty() || request.keys().stream().anyMatch(key -> key.contains(keyContains)));
        }
    }

    /** A request as the rules see it: {@code keys} are the object keys it names (for a listing, its prefix). */
    public record Request(String method, String target, Operation operation, String bucket, List<String> keys)
    {
        public Request
        {
            requireNonNull(method, "method is null");
            requireNonNull(target, "target is null");
            requireNonNull(operation, "operation is null");
            requireNonNull(bucket, "bucket is null");
            keys = List.copyOf(keys);
        }
    }

    /** An installed rule: how many requests it picked so far. */
    public static final class Injection
    {
        private final Rule rule;
        private final AtomicInteger matched = new AtomicInteger();
        private final AtomicInteger fired = new AtomicInteger();

        private Injection(Rule rule)
        {
            this.rule = rule;
        }

        public Rule rule()
        {
            return rule;
        }

        /** How many requests got its fault (a request an earlier rule picked gets that rule's). */
        public int fired()
        {
            return fired.get();
        }

        boolean picks(Request request)
        {
            if (!rule.matches(request)) {
                return false;
            }
            int count = matched.incrementAndGet();
            return count >= rule.from() && count <= rule.to();
        }

        @Override
        public String toString()
        {
            return rule + " fired " + fired.get() + " times";
        }
    }

    private record Observer(Operation operation, String keyContains, Consumer<Request> action) {}

    private static final Pattern DELETE_KEY = Pattern.compile("<Key>(.*?)</Key>", Pattern.DOTALL);
    private static final byte[] HEAD_END = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int MAX_HEAD = 64 * 1024;

    private final InetSocketAddress upstream;
    private final ServerSocket server;
    private final URI endpoint;
    private final List<Injection> injections = new CopyOnWriteArrayList<>();
    private final List<Observer> observers = new CopyOnWriteArrayList<>();
    private final Map<Operation, AtomicInteger> seen = new ConcurrentHashMap<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger requestIds = new AtomicInteger();
    private final Thread acceptor;

    public FaultyS3Proxy(URI upstream)
            throws IOException
    {
        this.upstream = new InetSocketAddress(upstream.getHost(), upstream.getPort());
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.endpoint = URI.create("http://127.0.0.1:" + server.getLocalPort());
        this.acceptor = new Thread(this::accept, "faulty-s3-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Where clients reach S3 through the proxy. */
    public URI endpoint()
    {
        return endpoint;
    }

    public Injection inject(Rule rule)
    {
        Injection injection = new Injection(rule);
        injections.add(injection);
        return injection;
    }

    /**
     * Runs {@code action} on each request of {@code operation} whose key contains {@code keyContains},
     * before S3 sees it (and before any fault): a test's look at the store at that moment.
     */
    public void observe(Operation operation, String keyContains, Consumer<Request> action)
    {
        observers.add(new Observer(requireNonNull(operation, "operation is null"), requireNonNull(keyContains, "keyContains is null"),
                requireNonNull(action, "action is null")));
    }

    /** Removes every rule: from now on every request is forwarded untouched. */
    public void heal()
    {
        injections.clear();
    }

    /** Removes every rule and every observer. */
    public void reset()
    {
        injections.clear();
        observers.clear();
    }

    /** How many requests of {@code operation} arrived so far. */
    public int seen(Operation operation)
    {
        return seen.computeIfAbsent(operation, ignored -> new AtomicInteger()).get();
    }

    @Override
    public void close()
            throws IOException
    {
        server.close();
        for (Socket socket : open) {
            socket.close();
        }
    }

    private void accept()
    {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            }
            catch (IOException e) {
                return;
            }
            open.add(client);
            Thread thread = new Thread(() -> serve(client), "faulty-s3-" + client.getPort());
            thread.setDaemon(true);
            thread.start();
        }
    }

    /** One client connection: request after request (HTTP/1.1 keep-alive, no pipelining), until either side closes. */
    private void serve(Socket client)
    {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            while (true) {
                byte[] head = readHead(in);
                if (head == null) {
                    return;
                }
                Head request = Head.parse(head);
                if ("100-continue".equalsIgnoreCase(request.header("expect"))) {
                    // the proxy reads the whole body before it decides, so it lets the body come;
                    // S3Proxy's own 100 Continue is skipped on the way back
                    out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
                byte[] body = readBody(in, request, false);
                Request described = describe(request, body);
                seen.computeIfAbsent(described.operation(), ignored -> new AtomicInteger()).incrementAndGet();
                for (Observer observer : observers) {
                    if (observer.operation() == described.operation() && described.keys().stream().anyMatch(key -> key.contains(observer.keyContains()))) {
                        observer.action().accept(described);
                    }
                }
                // every rule counts the requests it matches; the first that picks one decides
                Fault fault = null;
                for (Injection injection : injections) {
                    if (injection.picks(described) && fault == null) {
                        fault = injection.rule().fault();
                        injection.fired.incrementAndGet();
                    }
                }
                boolean keepOpen = true;
                if (fault == null) {
                    keepOpen = relay(forward(head, body, request), request, out);
                }
                else {
                    switch (fault) {
                        case INTERNAL_ERROR -> error(out, "500 Internal Server Error", "InternalError", "We encountered an internal error. Please try again.");
                        case ACCESS_DENIED -> error(out, "403 Forbidden", "AccessDenied", "Access Denied");
                        case INTERNAL_ERROR_AFTER -> {
                            forward(head, body, request);
                            error(out, "500 Internal Server Error", "InternalError", "We encountered an internal error. Please try again.");
                        }
                        case DROP -> keepOpen = false;
                        case DROP_AFTER -> {
                            forward(head, body, request);
                            keepOpen = false;
                        }
                        case CUT_SHORT -> {
                            byte[] whole = forward(head, body, request).bytes();
                            out.write(whole, 0, whole.length - 10);
                            out.flush();
                            keepOpen = false;
                        }
                        case SLOW -> {
                            Thread.sleep(SLOW_REQUEST.toMillis());
                            keepOpen = relay(forward(head, body, request), request, out);
                        }
                    }
                }
                if (!keepOpen) {
                    return;
                }
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        catch (IOException e) {
            // the client went away, or the proxy closes: nothing to answer
        }
        finally {
            open.remove(client);
        }
    }

    /** Passes S3's response on; returns whether the client's connection stays open for another request. */
    private static boolean relay(Response response, Head request, OutputStream out)
            throws IOException
    {
        out.write(response.bytes());
        out.flush();
        return !response.close() && !"close".equalsIgnoreCase(request.header("connection"));
    }

    /** Sends the request to S3 on a new connection and reads its whole final response (1xx ones are skipped). */
    private Response forward(byte[] head, byte[] body, Head request)
            throws IOException
    {
        try (Socket socket = new Socket()) {
            socket.connect(upstream, 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(head);
            out.write(body);
            out.flush();
            InputStream in = socket.getInputStream();
            while (true) {
                byte[] responseHead = readHead(in);
                if (responseHead == null) {
                    throw new EOFException("S3 closed the connection without a response to " + request.requestLine());
                }
                Head response = Head.parse(responseHead);
                int status = response.status();
                if (status >= 100 && status < 200) {
                    continue;
                }
                boolean bodiless = request.method().equals("HEAD") || status == 204 || status == 304;
                byte[] responseBody = bodiless ? new byte[0] : readBody(in, response, true);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream(responseHead.length + responseBody.length);
                bytes.write(responseHead);
                bytes.write(responseBody);
                boolean close = "close".equalsIgnoreCase(response.header("connection"))
                        || (!bodiless && response.header("content-length") == null && !response.chunked());
                return new Response(bytes.toByteArray(), close);
            }
        }
    }

    /** An error answered as S3 answers one: its status line, and an XML body with its code, message and a request id. */
    private void error(OutputStream out, String status, String code, String message)
            throws IOException
    {
        String requestId = "FAULTY" + requestIds.incrementAndGet();
        byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code>"
                + "<Message>" + message + "</Message><RequestId>" + requestId + "</RequestId></Error>")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
                + "x-amz-request-id: " + requestId + "\r\n"
                + "Content-Type: application/xml\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static Request describe(Head head, byte[] body)
    {
        String target = head.target();
        int question = target.indexOf('?');
        String path = question < 0 ? target : target.substring(0, question);
        Map<String, String> query = query(question < 0 ? "" : target.substring(question + 1));
        String decoded = URLDecoder.decode(path.substring(1), StandardCharsets.UTF_8);
        int slash = decoded.indexOf('/');
        String bucket = slash < 0 ? decoded : decoded.substring(0, slash);
        String key = slash < 0 ? "" : decoded.substring(slash + 1);
        String method = head.method();
        if (method.equals("POST") && query.containsKey("delete")) {
            List<String> keys = new ArrayList<>();
            Matcher matcher = DELETE_KEY.matcher(new String(body, StandardCharsets.UTF_8));
            while (matcher.find()) {
                keys.add(unescapeXml(matcher.group(1)));
            }
            return new Request(method, target, Operation.DELETE_OBJECTS, bucket, keys);
        }
        if (method.equals("GET") && key.isEmpty() && "2".equals(query.get("list-type"))) {
            return new Request(method, target, Operation.LIST_OBJECTS_V2, bucket, List.of(query.getOrDefault("prefix", "")));
        }
        if (method.equals("PUT") && !key.isEmpty() && head.header("x-amz-copy-source") != null && !query.containsKey("uploadId")) {
            return new Request(method, target, Operation.COPY_OBJECT, bucket, List.of(key));
        }
        if (method.equals("PUT") && !key.isEmpty() && !query.containsKey("uploadId")) {
            return new Request(method, target, Operation.PUT_OBJECT, bucket, List.of(key));
        }
        return new Request(method, target, Operation.OTHER, bucket, key.isEmpty() ? List.of() : List.of(key));
    }

    private static Map<String, String> query(String query)
    {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            parameters.put(name, equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static String unescapeXml(String text)
    {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&apos;", "'").replace("&amp;", "&");
    }

    /** The bytes of a head up to and with its blank line; null when the stream ends before a byte of it. */
    private static byte[] readHead(InputStream in)
            throws IOException
    {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < HEAD_END.length) {
            int next = in.read();
            if (next < 0) {
                if (head.size() == 0) {
                    return null;
                }
                throw new EOFException("the stream ended inside a head");
            }
            head.write(next);
            matched = next == HEAD_END[matched] ? matched + 1 : (next == HEAD_END[0] ? 1 : 0);
            if (head.size() > MAX_HEAD) {
                throw new IOException("a head longer than " + MAX_HEAD + " bytes");
            }
        }
        return head.toByteArray();
    }

    /**
     * The body's bytes as they were framed (a chunked body with its chunk lines); a response without
     * length or chunks runs to the end of the stream.
     */
    private static byte[] readBody(InputStream in, Head head, boolean response)
            throws IOException
    {
        if (head.chunked()) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String line = readLine(in, body);
                int extension = line.indexOf(';');
                int size = Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
                if (size == 0) {
                    // trailers, up to the blank line
                    while (!readLine(in, body).isEmpty()) {
                        // each trailer is copied as it is
                    }
                    return body.toByteArray();
                }
                body.write(in.readNBytes(size));
                readLine(in, body);
            }
        }
        String length = head.header("content-length");
        if (length != null) {
            int size = Integer.parseInt(length.trim());
            byte[] body = in.readNBytes(size);
            if (body.length < size) {
                throw new EOFException("the stream ended inside a body");
            }
            return body;
        }
        return response ? in.readAllBytes() : new byte[0];
    }

    /** Reads a CRLF-ended line, copies it with its CRLF to {@code copy}, and returns it without. */
    private static String readLine(InputStream in, ByteArrayOutputStream copy)
            throws IOException
    {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int previous = -1;
        while (true) {
            int next = in.read();
            if (next < 0) {
                throw new EOFException("the stream ended inside a chunk line");
            }
            copy.write(next);
            if (previous == '\r' && next == '\n') {
                byte[] bytes = line.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            line.write(next);
            previous = next;
        }
    }

    private record Response(byte[] bytes, boolean close) {}

    /** A request or response head: its first line and its headers (the first of each name, by lower-case name). */
    private record Head(String firstLine, Map<String, String> headers)
    {
        static Head parse(byte[] bytes)
        {
            String[] lines = new String(bytes, StandardCharsets.ISO_8859_1).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            return new Head(lines[0], headers);
        }

        String header(String name)
        {
            return headers.get(name);
        }

        boolean chunked()
        {
            String encoding = headers.get("transfer-encoding");
            return encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked");
        }

        String requestLine()
        {
            return firstLine;
        }

        String method()
        {
            return firstLine.substring(0, firstLine.indexOf(' '));
        }

        String target()
        {
            String[] parts = firstLine.split(" ");
            return parts[1];
        }

        int status()
        {
            String[] parts = firstLine.split(" ");
            return Integer.parseInt(parts[1]);
        }
    }

    @Override
    public String toString()
    {
        return "FaultyS3Proxy[" + endpoint + " -> " + upstream + ", " + injections + "]";
    }
}
