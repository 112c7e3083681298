package dev.redisfn.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.HdrHistogram.Histogram;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Runs the function, webdis (when installed) and redis-benchmark against one Redis on this
 * machine, with the same load (wrk when installed, otherwise a Java driver), and writes
 * target/bench/results.md plus PNG charts. Ratios are the claim, not absolute numbers.
 */
public final class Bench {

    static final Path OUT = Path.of("target/bench");
    static final String VALUE = "x".repeat(100);
    static final int WARMUP_S = Integer.getInteger("bench.warmup", 20);
    static final int RUN_S = Integer.getInteger("bench.seconds", 10);
    /** Rounds of the function-against-webdis scenarios; each row keeps its best round. */
    static final int ROUNDS = Integer.getInteger("bench.rounds", 3);
    /** The deployed container's JVM: what function.yaml sets is what the benchmark runs. */
    static final ContainerJvm CONTAINER = ContainerJvm.read(Path.of("function.yaml"));
    static final String JAVA_OPTS = System.getProperty("bench.javaOpts", CONTAINER.options());
    static final Map<String, String> JAVA_ENV = CONTAINER.environment();
    /** The function's directory: the class-data archive is found relative to it. */
    static final Path APP = Path.of("target/quarkus-app");
    /** The training run of the container image's build, which writes the two caches below. */
    static final Path TRAIN = Path.of("src/main/docker/train-start-cache.sh");
    /** The class-data archive the training run writes on JDK 17. */
    static final String ARCHIVE = "app-cds.jsa";
    /** The AOT cache the training run writes on JDK 25 and later. */
    static final String AOT_CACHE = "app.aot";
    /** A JDK 25 or later that run.sh found (AOT_JAVA_HOME, or under /usr/lib/jvm); empty when none. */
    static final String AOT_JAVA = System.getProperty("bench.aotJava", "");
    /** The JDK that runs this driver runs the function too: the machine's default, 17 here as in the image. */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    static final String JDK = "JDK " + Runtime.version().feature();
    /** Starts per start-time variant; the note gives their median. */
    static final int STARTS = Integer.getInteger("bench.starts", 5);
    /** Heap for the rotation run: each of 1,000 cached configs holds a client and a connection (~35 KB live). */
    static final String ROTATION_HEAP = System.getProperty("bench.rotationHeap", "-Xmx80m");

    private final List<Process> processes = new ArrayList<>();
    private final Load load;
    private int redisPort;
    private long functionPid;

    private Bench(Load load) {
        this.load = load;
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(OUT);
        Load load = Load.wrkAvailable() ? new Load.Wrk(OUT) : new Load.Java();
        Bench bench = new Bench(load);
        Runtime.getRuntime().addShutdownHook(new Thread(bench::stopAll));
        try {
            bench.run();
        } finally {
            bench.stopAll();
        }
    }

    private void run() throws Exception {
        redisPort = freePort();
        start("redis", List.of(redisBinary().toString(), "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--maxclients", "20000"), Map.of());
        waitForPort(redisPort, "redis");
        redis("SET", "bench:k", VALUE);

        Results results = new Results(load.name());
        Jvm jvm = startTimes(results);
        StartedFunction measured = startFunction("function", freePort(), jvm, JAVA_OPTS, Map.of());
        functionPid = measured.process.pid();
        String fnUrl = measured.url;

        String webdisUrl = startWebdis();

        System.out.println("warming up the function for " + WARMUP_S + " s");
        load.run(fnUrl, body("GET", "{\"key\":\"bench:k\"}", null), 64, WARMUP_S);
        if (webdisUrl != null) {
            load.run(webdisUrl + "/GET/bench:k", null, 64, 5);
        }

        // The function and webdis take turns, scenario by scenario, ROUNDS times, so that a machine whose
        // speed drifts during the run (a shared one does) weighs on both alike; each row is the round
        // with the highest throughput of that target and scenario.
        List<Scenario> scenarios = List.of(
                new Scenario("GET", 64, body("GET", "{\"key\":\"bench:k\"}", null), "/GET/bench:k"),
                new Scenario("SET", 64, body("SET", "{\"key\":\"bench:s\",\"value\":\"" + VALUE + "\"}", null),
                        "/SET/bench:s/" + VALUE),
                new Scenario("GET", 1, body("GET", "{\"key\":\"bench:k\"}", null), "/GET/bench:k"),
                new Scenario("SET", 1, body("SET", "{\"key\":\"bench:s\",\"value\":\"" + VALUE + "\"}", null),
                        "/SET/bench:s/" + VALUE));
        Map<String, Result> best = new LinkedHashMap<>();
        // every round's 1-connection median, not only the kept one: a target whose latency jumps between
        // two levels from round to round (webdis does here) shows it in the notes
        Map<String, List<Double>> p50PerRound = new LinkedHashMap<>();
        RssSampler rss = new RssSampler(functionPid);
        long newConnections = 0;
        long getCalls = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            System.out.println("round " + round + " of " + ROUNDS);
            for (Scenario scenario : scenarios) {
                long connectionsBefore = redisStat("total_connections_received");
                Result fn = load.run(fnUrl, scenario.functionBody(), scenario.connections(), RUN_S);
                if (scenario.operation().equals("GET") && scenario.connections() == 64) {
                    newConnections += redisStat("total_connections_received") - connectionsBefore;
                    getCalls += fn.requests();
                }
                keep(best, p50PerRound, "function", scenario, fn);
                if (webdisUrl != null) {
                    keep(best, p50PerRound, "webdis", scenario,
                            load.run(webdisUrl + scenario.webdisPath(), null, scenario.connections(), RUN_S));
                }
            }
        }
        long rssUnderLoad = rss.stop();
        for (String target : List.of("function", "webdis")) {
            for (Scenario scenario : scenarios) {
                Result result = best.get(target + "|" + scenario.key());
                if (result != null) {
                    results.add(target, scenario.operation(), scenario.connections(), result);
                }
            }
        }
        if (webdisUrl == null) {
            results.note("webdis", "not installed (apt-get install webdis): no comparison row");
        }
        results.note("rounds", ROUNDS + " rounds, the function and webdis alternating per scenario; each row is the "
                + "round with the highest throughput; p50 at 1 connection in each round: " + perRound(p50PerRound));

        Result fnGet1 = best.get("function|GET|1");
        double per100k = getCalls == 0 ? 0 : newConnections * 100_000.0 / getCalls;
        results.note("connections", String.format(Locale.ROOT, "%d new server connections during %,d GET calls "
                + "(%.1f per 100,000)", newConnections, getCalls, per100k));
        results.note("rss", (rssUnderLoad / 1024) + " MB (peak VmRSS during the load runs, JVM options: "
                + JAVA_OPTS + ")");

        Result batch = load.run(fnUrl, batchBody(10), 1, RUN_S);
        results.note("batch", String.format(Locale.ROOT, "one 10-operation batch: %,.0f operations/s (p50 %.0f µs per batch); "
                + "10 single calls: %,.0f operations/s (p50 %.0f µs per call, so ~%.0f µs for ten)",
                batch.rps() * 10, batch.p50us(), fnGet1.rps(), fnGet1.p50us(), fnGet1.p50us() * 10));

        // 1,000 configs need a cache that holds them and a heap for their clients: a function of its own
        stop(measured.process);
        StartedFunction rotating = startFunction("function-rotation", freePort(), jvm, JAVA_OPTS + " " + ROTATION_HEAP,
                Map.of("CONNECTOR_CACHE_MAX_SIZE", "1100"));
        fnUrl = rotating.url;
        RssSampler rotationRss = new RssSampler(rotating.process.pid());
        long rotationStart = System.nanoTime();
        load.runRotating(fnUrl, rotatingBodies(1000), 16, 20); // the first round builds the 1,000 clients
        double firstRoundS = (System.nanoTime() - rotationStart) / 1e9;
        Result rotation = load.runRotating(fnUrl, rotatingBodies(1000), 64, RUN_S);
        long rotationPeak = rotationRss.stop();
        results.add("function, 1,000 configs in rotation", "GET", 64, rotation);
        results.note("rotation", String.format(Locale.ROOT, "1,000 distinct configs in rotation: %,.0f req/s after a "
                + "%.0f s first round (16 connections) that built the clients, peak RSS %d MB, %d clients connected to Redis afterwards "
                + "(function with CONNECTOR_CACHE_MAX_SIZE=1100 and %s)",
                rotation.rps(), firstRoundS, rotationPeak / 1024, redisStat("connected_clients"), ROTATION_HEAP));
        stop(rotating.process);

        redisBenchmark(results);
        results.write(OUT, webdisUrl != null);
        System.out.println(Files.readString(OUT.resolve("results.md")));
    }

    /** One load shape, as the function's JSON body and as webdis' URL path. */
    private record Scenario(String operation, int connections, String functionBody, String webdisPath) {
        String key() {
            return operation + "|" + connections;
        }
    }

    /** Keeps a round's result if it is the target's fastest so far, and a 1-connection round's p50 in any case. */
    private static void keep(Map<String, Result> best, Map<String, List<Double>> p50PerRound, String target,
            Scenario scenario, Result result) {
        best.merge(target + "|" + scenario.key(), result, Bench::faster);
        if (scenario.connections() == 1) {
            p50PerRound.computeIfAbsent(target + " " + scenario.operation(), k -> new ArrayList<>()).add(result.p50us());
        }
    }

    private static String perRound(Map<String, List<Double>> p50PerRound) {
        List<String> rows = new ArrayList<>();
        p50PerRound.forEach((name, p50s) -> rows.add(name + " "
                + p50s.stream().map(p50 -> String.format(Locale.ROOT, "%.0f", p50)).collect(Collectors.joining(" / "))
                + " µs"));
        return String.join("; ", rows);
    }

    private static Result faster(Result a, Result b) {
        return b.rps() > a.rps() ? b : a;
    }

    /** A started function: its process, its execute URL and the time from process start to its first served call. */
    private record StartedFunction(Process process, String url, double firstServedMs) {
    }

    /** A JVM to run the function on: its java launcher and the start-up cache it maps, if any. */
    private record Jvm(String label, String java, List<String> cacheOptions) {
    }

    /**
     * Measures the time from process start to the first served execute for each JVM set-up this
     * machine has: the default JDK (17) without and with the class-data archive of the image's training run (the
     * container image's set-up, which the load runs then use), and, when run.sh found a JDK 25 or
     * later, that JDK without and with the AOT cache of the same training run.
     */
    private Jvm startTimes(Results results) throws Exception {
        Jvm image = new Jvm(JDK + " + class-data archive", JAVA, List.of("-XX:SharedArchiveFile=" + ARCHIVE));
        List<Jvm> jvms = new ArrayList<>(List.of(new Jvm(JDK, JAVA, List.of()), image));
        train(JAVA);
        if (!AOT_JAVA.isEmpty()) {
            jvms.add(new Jvm("JDK 25", AOT_JAVA, List.of()));
            jvms.add(new Jvm("JDK 25 + AOT cache", AOT_JAVA, List.of("-XX:AOTCache=" + AOT_CACHE)));
            train(AOT_JAVA);
        }
        StringBuilder note = new StringBuilder("process start to first served execute (median of " + STARTS + "): ");
        for (Jvm jvm : jvms) {
            double[] ms = new double[STARTS];
            for (int i = 0; i < STARTS; i++) {
                StartedFunction started = startFunction("function-start", freePort(), jvm, JAVA_OPTS, Map.of());
                ms[i] = started.firstServedMs;
                stop(started.process);
            }
            java.util.Arrays.sort(ms);
            note.append(String.format(Locale.ROOT, "%s%s %.0f ms", jvm == jvms.get(0) ? "" : ", ", jvm.label(),
                    ms[STARTS / 2]));
        }
        results.note("start", note.append("; the load runs use ").append(image.label()).append(", as the image does")
                .toString());
        return image;
    }

    /** Runs the container image's training run with {@code java}, its calls going to this run's Redis. */
    private void train(String java) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", TRAIN.toAbsolutePath().toString(), java));
        command.addAll(List.of(JAVA_OPTS.trim().split("\\s+")));
        Map<String, String> env = new java.util.HashMap<>(JAVA_ENV);
        env.put("TRAIN_PORT", Integer.toString(freePort()));
        env.put("TRAIN_REDIS", "127.0.0.1:" + redisPort);
        Process training = start("train-start-cache", command, env, APP);
        if (training.waitFor() != 0) {
            throw new IllegalStateException("the training run failed; see target/bench/train-start-cache.log and "
                    + APP.resolve("train-start-cache.log"));
        }
        processes.remove(training);
    }

    /**
     * Starts the packaged function in its own directory (where the class-data archive and the AOT
     * cache are looked up, as in the container image) and waits for its first served execute.
     */
    private StartedFunction startFunction(String name, int port, Jvm jvm, String javaOpts, Map<String, String> env)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(jvm.java());
        for (String option : javaOpts.trim().split("\\s+")) {
            command.add(option);
        }
        command.addAll(jvm.cacheOptions());
        command.add("-Dquarkus.http.port=" + port);
        command.add("-jar");
        command.add("quarkus-run.jar");
        Map<String, String> all = new java.util.HashMap<>(JAVA_ENV);
        all.putAll(env);
        long started = System.nanoTime();
        Process process = start(name, command, all, APP);
        String url = "http://127.0.0.1:" + port + "/execute";
        return new StartedFunction(process, url, firstServed(port, body("GET", "{\"key\":\"bench:k\"}", null), started, name));
    }

    String connection() {
        return "{\"host\":\"127.0.0.1\",\"port\":" + redisPort + "}";
    }

    String body(String operation, String params, String clientName) {
        String connection = clientName == null ? connection()
                : "{\"host\":\"127.0.0.1\",\"port\":" + redisPort + ",\"clientName\":\"" + clientName + "\"}";
        return "{\"connection\":" + connection + ",\"operation\":\"" + operation + "\",\"params\":" + params + "}";
    }

    private String batchBody(int size) {
        StringBuilder batch = new StringBuilder("{\"connection\":" + connection() + ",\"batch\":[");
        for (int i = 0; i < size; i++) {
            batch.append(i == 0 ? "" : ",").append("{\"operation\":\"GET\",\"params\":{\"key\":\"bench:k\"}}");
        }
        return batch.append("]}").toString();
    }

    private List<String> rotatingBodies(int configs) {
        List<String> bodies = new ArrayList<>(configs);
        for (int i = 0; i < configs; i++) {
            bodies.add(body("GET", "{\"key\":\"bench:k\"}", "bench-" + i));
        }
        return bodies;
    }

    /**
     * Polls with a plain socket and a hand-written request until an execute answers 200: a JDK
     * HTTP client's own first request in this driver does start-up work of its own, which would
     * count against the function.
     */
    private double firstServed(int port, String body, long startedNanos, String name) throws InterruptedException {
        byte[] request = ("POST /execute HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body)
                .getBytes(StandardCharsets.UTF_8);
        long deadline = startedNanos + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(request);
                byte[] status = socket.getInputStream().readNBytes(12); // "HTTP/1.1 200"
                if (new String(status, StandardCharsets.US_ASCII).endsWith(" 200")) {
                    return (System.nanoTime() - startedNanos) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("the function did not serve a request within 60 s; see target/bench/" + name + ".log");
    }

    private String startWebdis() throws Exception {
        Path webdis = onPath("webdis");
        if (webdis == null) {
            return null;
        }
        int port = freePort();
        Path config = OUT.resolve("webdis.json");
        Files.writeString(config, "{\"redis_host\":\"127.0.0.1\",\"redis_port\":" + redisPort + ",\"http_host\":\"127.0.0.1\","
                + "\"http_port\":" + port + ",\"threads\":2,\"pool_size\":20,\"daemonize\":false,\"websockets\":false,"
                + "\"database\":0,\"verbosity\":0,\"logfile\":\"" + OUT.resolve("webdis.log").toAbsolutePath() + "\"}");
        start("webdis", List.of(webdis.toString(), config.toString()), Map.of());
        waitForPort(port, "webdis");
        return "http://127.0.0.1:" + port;
    }

    private void redisBenchmark(Results results) throws Exception {
        Path tool = onPath("redis-benchmark");
        if (tool == null) {
            results.note("redis-benchmark", "not installed: no physical-limit row");
            return;
        }
        for (int clients : new int[] {64, 1}) {
            for (String test : new String[] {"get", "set"}) {
                Process process = new ProcessBuilder(tool.toString(), "-h", "127.0.0.1", "-p", Integer.toString(redisPort),
                        "-t", test, "-d", "100", "-c", Integer.toString(clients), "-n", clients == 1 ? "50000" : "300000", "-q")
                        .redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor();
                Matcher matcher = Pattern.compile("([\\d.]+) requests per second, p50=([\\d.]+) msec").matcher(output);
                if (matcher.find()) {
                    double rps = Double.parseDouble(matcher.group(1));
                    double p50 = Double.parseDouble(matcher.group(2)) * 1000;
                    results.add("redis-benchmark (no HTTP)", test.toUpperCase(Locale.ROOT), clients,
                            new Result(rps, p50, Double.NaN, 0, 0));
                }
            }
        }
    }

    private Process start(String name, List<String> command, Map<String, String> env) throws IOException {
        return start(name, command, env, null);
    }

    private Process start(String name, List<String> command, Map<String, String> env, Path dir)
            throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(OUT.resolve(name + ".log").toAbsolutePath().toFile());
        if (dir != null) {
            builder.directory(dir.toFile());
        }
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private void stopAll() {
        new ArrayList<>(processes).forEach(Bench::stop);
        processes.clear();
    }

    private static void stop(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private Path redisBinary() throws IOException {
        String configured = System.getenv("REDIS_SERVER");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("mac") ? "darwin" : "linux";
        try (InputStream shipped = Bench.class.getClassLoader().getResourceAsStream("redis-server-7.0.15-" + os + "-" + arch)) {
            if (shipped != null) {
                Path binary = OUT.resolve("redis-server");
                Files.copy(shipped, binary, StandardCopyOption.REPLACE_EXISTING);
                binary.toFile().setExecutable(true);
                return binary;
            }
        }
        Path onPath = onPath("redis-server");
        if (onPath == null) {
            throw new IllegalStateException("no redis-server: set REDIS_SERVER");
        }
        return onPath;
    }

    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private String redis(String... args) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", redisPort)) {
            StringBuilder command = new StringBuilder("*" + args.length + "\r\n");
            for (String arg : args) {
                command.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
            }
            socket.getOutputStream().write(command.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            StringBuilder reply = new StringBuilder();
            int read;
            do {
                read = in.read(buffer);
                reply.append(new String(buffer, 0, Math.max(read, 0), StandardCharsets.UTF_8));
            } while (read > 0 && !complete(reply));
            return reply.toString();
        }
    }

    private static boolean complete(StringBuilder reply) {
        if (reply.length() == 0) {
            return false;
        }
        if (reply.charAt(0) != '$') {
            return reply.indexOf("\r\n") >= 0;
        }
        int header = reply.indexOf("\r\n");
        if (header < 0) {
            return false;
        }
        int length = Integer.parseInt(reply.substring(1, header));
        return length < 0 || reply.length() >= header + 2 + length + 2;
    }

    private long redisStat(String field) throws IOException {
        Matcher matcher = Pattern.compile(field + ":(\\d+)").matcher(redis("INFO"));
        return matcher.find() ? Long.parseLong(matcher.group(1)) : -1;
    }

    static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                int port = socket.getLocalPort();
                if (port != 6379) {
                    return port;
                }
            }
        }
    }

    static void waitForPort(int port, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException(what + " did not open port " + port + " within 30 s");
    }

    /** One load run: throughput, latency percentiles in microseconds, failures. */
    record Result(double rps, double p50us, double p99us, long non2xx, long requests) {
    }

    /** Samples the function's resident set size while a run goes on. */
    static final class RssSampler {
        private final AtomicLong peakKb = new AtomicLong();
        private final Thread thread;
        private volatile boolean running = true;

        RssSampler(long pid) {
            thread = new Thread(() -> {
                Path status = Path.of("/proc", Long.toString(pid), "status");
                while (running) {
                    try {
                        for (String line : Files.readAllLines(status)) {
                            if (line.startsWith("VmRSS:")) {
                                long kb = Long.parseLong(line.replaceAll("\\D", ""));
                                peakKb.accumulateAndGet(kb, Math::max);
                            }
                        }
                        Thread.sleep(200);
                    } catch (IOException | InterruptedException e) {
                        return;
                    }
                }
            }, "rss-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        long stop() throws InterruptedException {
            running = false;
            thread.join(1000);
            return peakKb.get();
        }
    }

    /** Collects rows and notes, writes the markdown table and the charts. */
    static final class Results {
        private final String driver;
        private final List<String[]> rows = new ArrayList<>();
        private final Map<String, String> notes = new LinkedHashMap<>();
        private final Map<String, Double> rps = new LinkedHashMap<>();
        private final Map<String, Double> p50 = new LinkedHashMap<>();

        Results(String driver) {
            this.driver = driver;
        }

        void add(String target, String operation, int connections, Result result) {
            rows.add(new String[] {target, operation, Integer.toString(connections),
                    String.format(Locale.ROOT, "%,.0f", result.rps()), micros(result.p50us()), micros(result.p99us()),
                    Long.toString(result.non2xx())});
            String key = target + "|" + operation + "|" + connections;
            rps.put(key, result.rps());
            p50.put(key, result.p50us());
        }

        void note(String name, String text) {
            notes.put(name, text);
        }

        void write(Path dir, boolean withWebdis) throws IOException {
            StringBuilder md = new StringBuilder();
            md.append("# Benchmark results\n\n").append("Run ").append(LocalDateTime.now().withNano(0))
                    .append(" on ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
                    .append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.arch"))
                    .append(", Java ").append(System.getProperty("java.version")).append(", load driver: ").append(driver)
                    .append(". One Redis 7.0.15, 100-byte values, loopback.\n\n")
                    .append("| target | operation | connections | req/s | p50 | p99 | non-2xx |\n|---|---|---|---|---|---|---|\n");
            for (String[] row : rows) {
                md.append("| ").append(String.join(" | ", row)).append(" |\n");
            }
            if (withWebdis) {
                md.append("\n| ratio function / webdis | value |\n|---|---|\n");
                ratio(md, "GET throughput, 64 connections", rps, "GET|64");
                ratio(md, "SET throughput, 64 connections", rps, "SET|64");
                ratio(md, "GET p50 latency, 1 connection (lower is better)", p50, "GET|1");
                ratio(md, "SET p50 latency, 1 connection (lower is better)", p50, "SET|1");
            }
            md.append('\n');
            notes.forEach((name, text) -> md.append("- **").append(name).append("**: ").append(text).append('\n'));
            Files.writeString(dir.resolve("results.md"), md.toString());
            chart(dir.resolve("throughput.png"), "Throughput at 64 connections (req/s)", rps, "|64");
            chart(dir.resolve("latency-p50.png"), "p50 latency at 1 connection (µs)", p50, "|1");
        }

        private static void ratio(StringBuilder md, String what, Map<String, Double> values, String suffix) {
            Double fn = values.get("function|" + suffix);
            Double webdis = values.get("webdis|" + suffix);
            if (fn != null && webdis != null && webdis > 0) {
                md.append("| ").append(what).append(" | ").append(String.format(Locale.ROOT, "%.2f×", fn / webdis)).append(" |\n");
            }
        }

        private static void chart(Path file, String title, Map<String, Double> values, String suffix) throws IOException {
            List<String> names = new ArrayList<>();
            List<Double> numbers = new ArrayList<>();
            values.forEach((key, value) -> {
                if (key.endsWith(suffix) && !Double.isNaN(value)) {
                    String[] parts = key.split("\\|");
                    names.add(parts[0].replace(" (no HTTP)", "") + " " + parts[1]);
                    numbers.add(value);
                }
            });
            if (names.isEmpty()) {
                return;
            }
            CategoryChart chart = new CategoryChartBuilder().width(1000).height(500).title(title).build();
            chart.getStyler().setLegendVisible(false);
            chart.getStyler().setXAxisLabelRotation(20);
            chart.addSeries(title, names, numbers);
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        }

        private static String micros(double micros) {
            if (Double.isNaN(micros)) {
                return "–";
            }
            return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
                    : String.format(Locale.ROOT, "%.0f µs", micros);
        }
    }

    /** Drives HTTP load: wrk when installed, else a closed-loop Java client. */
    interface Load {
        String name();

        Result run(String url, String body, int connections, int seconds) throws Exception;

        Result runRotating(String url, List<String> bodies, int connections, int seconds) throws Exception;

        static boolean wrkAvailable() {
            return onPath("wrk") != null;
        }

        /** wrk with a generated Lua script; latency percentiles from --latency. */
        final class Wrk implements Load {
            private final Path dir;

            Wrk(Path dir) {
                this.dir = dir;
            }

            @Override
            public String name() {
                return "wrk (2 threads)";
            }

            @Override
            public Result run(String url, String body, int connections, int seconds) throws Exception {
                if (body == null) {
                    return wrk(url, null, connections, seconds);
                }
                Path script = dir.resolve("post.lua");
                Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                        + "wrk.body = [==[" + body + "]==]\n");
                return wrk(url, script, connections, seconds);
            }

            @Override
            public Result runRotating(String url, List<String> bodies, int connections, int seconds) throws Exception {
                StringBuilder lua = new StringBuilder("local bodies = {\n");
                for (String body : bodies) {
                    lua.append("[==[").append(body).append("]==],\n");
                }
                lua.append("}\nlocal i = 0\nrequest = function()\n  i = i + 1\n"
                        + "  return wrk.format(\"POST\", nil, {[\"Content-Type\"] = \"application/json\"}, bodies[(i % #bodies) + 1])\nend\n");
                Path script = dir.resolve("rotate.lua");
                Files.writeString(script, lua.toString());
                return wrk(url, script, connections, seconds);
            }

            private Result wrk(String url, Path script, int connections, int seconds) throws Exception {
                List<String> command = new ArrayList<>(List.of("wrk", "-t", connections == 1 ? "1" : "2", "-c",
                        Integer.toString(connections), "-d", seconds + "s", "--latency"));
                if (script != null) {
                    command.add("-s");
                    command.add(script.toString());
                }
                command.add(url);
                Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                process.waitFor();
                return new Result(number(output, "Requests/sec:\\s+([\\d.]+)"), latency(output, "50%"), latency(output, "99%"),
                        (long) number(output, "Non-2xx or 3xx responses:\\s+(\\d+)"),
                        (long) number(output, "(\\d+) requests in"));
            }

            private static double number(String output, String regex) {
                Matcher matcher = Pattern.compile(regex).matcher(output);
                return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
            }

            private static double latency(String output, String percentile) {
                Matcher matcher = Pattern.compile(Pattern.quote(percentile) + "\\s+([\\d.]+)(us|ms|s)").matcher(output);
                if (!matcher.find()) {
                    return Double.NaN;
                }
                double value = Double.parseDouble(matcher.group(1));
                return switch (matcher.group(2)) {
                    case "ms" -> value * 1000;
                    case "s" -> value * 1_000_000;
                    default -> value;
                };
            }
        }

        /** A closed loop of one thread per connection, latencies in an HdrHistogram. */
        final class Java implements Load {
            @Override
            public String name() {
                return "Java HttpClient driver (wrk not installed)";
            }

            @Override
            public Result run(String url, String body, int connections, int seconds) throws Exception {
                return runRotating(url, body == null ? null : List.of(body), connections, seconds);
            }

            @Override
            public Result runRotating(String url, List<String> bodies, int connections, int seconds) throws Exception {
                Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                AtomicLong failures = new AtomicLong();
                AtomicLong done = new AtomicLong();
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
                List<Thread> threads = new ArrayList<>();
                for (int c = 0; c < connections; c++) {
                    int offset = c;
                    Thread thread = new Thread(() -> {
                        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                        Histogram local = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
                        long i = offset;
                        while (System.nanoTime() < end) {
                            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
                            if (bodies == null) {
                                request.GET();
                            } else {
                                request.POST(HttpRequest.BodyPublishers.ofString(bodies.get((int) (i++ % bodies.size()))))
                                        .header("Content-Type", "application/json");
                            }
                            long start = System.nanoTime();
                            try {
                                int status = client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                                local.recordValue(Math.min(System.nanoTime() - start, TimeUnit.SECONDS.toNanos(10)));
                                if (status / 100 != 2) {
                                    failures.incrementAndGet();
                                }
                                done.incrementAndGet();
                            } catch (IOException | InterruptedException e) {
                                failures.incrementAndGet();
                            }
                        }
                        synchronized (histogram) {
                            histogram.add(local);
                        }
                    });
                    threads.add(thread);
                    thread.start();
                }
                for (Thread thread : threads) {
                    thread.join();
                }
                return new Result(done.get() / (double) seconds, histogram.getValueAtPercentile(50) / 1000.0,
                        histogram.getValueAtPercentile(99) / 1000.0, failures.get(), done.get());
            }
        }
    }
}
