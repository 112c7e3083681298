package dev.redisfn.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
    static final String VALUE = Requests.VALUE;
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

    private final Processes processes = new Processes(OUT);
    private final Load load;
    private Redis redis;
    private Requests requests;
    private long functionPid;

    private Bench(Load load) {
        this.load = load;
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(OUT);
        Load load = Load.wrkAvailable() ? new Load.Wrk(OUT) : new Load.Java();
        Bench bench = new Bench(load);
        Runtime.getRuntime().addShutdownHook(new Thread(bench.processes::close));
        try {
            bench.run();
        } finally {
            bench.processes.close();
        }
    }

    private void run() throws Exception {
        redis = Redis.start(processes, "redis");
        requests = new Requests(redis.port());
        redis.command("SET", "bench:k", VALUE);

        Results results = new Results(load.name());
        Jvm jvm = startTimes(results);
        StartedFunction measured = startFunction("function", Processes.freePort(), jvm, JAVA_OPTS, Map.of());
        functionPid = measured.process().pid();
        String fnUrl = measured.url();

        String webdisUrl = startWebdis();

        System.out.println("warming up the function for " + WARMUP_S + " s");
        load.run(fnUrl, requests.get(), 64, WARMUP_S);
        if (webdisUrl != null) {
            load.run(webdisUrl + "/GET/bench:k", null, 64, 5);
        }

        // The function and webdis take turns, scenario by scenario, ROUNDS times, so that a machine whose
        // speed drifts during the run (a shared one does) weighs on both alike; each row is the round
        // with the highest throughput of that target and scenario.
        List<Scenario> scenarios = List.of(
                new Scenario("GET", 64, requests.get(), "/GET/bench:k"),
                new Scenario("SET", 64, requests.set(), "/SET/bench:s/" + VALUE),
                new Scenario("GET", 1, requests.get(), "/GET/bench:k"),
                new Scenario("SET", 1, requests.set(), "/SET/bench:s/" + VALUE));
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
                long connectionsBefore = redis.stat("total_connections_received");
                Result fn = load.run(fnUrl, scenario.functionBody(), scenario.connections(), RUN_S);
                if (scenario.operation().equals("GET") && scenario.connections() == 64) {
                    newConnections += redis.stat("total_connections_received") - connectionsBefore;
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

        Result batch = load.run(fnUrl, requests.batch(10), 1, RUN_S);
        results.note("batch", String.format(Locale.ROOT, "one 10-operation batch: %,.0f operations/s (p50 %.0f µs per batch); "
                + "10 single calls: %,.0f operations/s (p50 %.0f µs per call, so ~%.0f µs for ten)",
                batch.rps() * 10, batch.p50us(), fnGet1.rps(), fnGet1.p50us(), fnGet1.p50us() * 10));

        // 1,000 configs need a cache that holds them and a heap for their clients: a function of its own
        processes.stop(measured.process());
        StartedFunction rotating = startFunction("function-rotation", Processes.freePort(), jvm,
                JAVA_OPTS + " " + ROTATION_HEAP, Map.of("CONNECTOR_CACHE_MAX_SIZE", "1100"));
        fnUrl = rotating.url();
        RssSampler rotationRss = new RssSampler(rotating.process().pid());
        long rotationStart = System.nanoTime();
        load.runRotating(fnUrl, requests.rotating(1000), 16, 20); // the first round builds the 1,000 clients
        double firstRoundS = (System.nanoTime() - rotationStart) / 1e9;
        Result rotation = load.runRotating(fnUrl, requests.rotating(1000), 64, RUN_S);
        long rotationPeak = rotationRss.stop();
        results.add("function, 1,000 configs in rotation", "GET", 64, rotation);
        results.note("rotation", String.format(Locale.ROOT, "1,000 distinct configs in rotation: %,.0f req/s after a "
                + "%.0f s first round (16 connections) that built the clients, peak RSS %d MB, %d clients connected to Redis afterwards "
                + "(function with CONNECTOR_CACHE_MAX_SIZE=1100 and %s)",
                rotation.rps(), firstRoundS, rotationPeak / 1024, redis.stat("connected_clients"), ROTATION_HEAP));
        processes.stop(rotating.process());

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
                StartedFunction started = startFunction("function-start", Processes.freePort(), jvm, JAVA_OPTS, Map.of());
                ms[i] = started.firstServedMs();
                processes.stop(started.process());
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
        command.addAll(ContainerJvm.split(JAVA_OPTS));
        Map<String, String> env = new java.util.HashMap<>(JAVA_ENV);
        env.put("TRAIN_PORT", Integer.toString(Processes.freePort()));
        env.put("TRAIN_REDIS", "127.0.0.1:" + redis.port());
        Process training = processes.start("train-start-cache", command, env, APP);
        if (training.waitFor() != 0) {
            throw new IllegalStateException("the training run failed; see target/bench/train-start-cache.log and "
                    + APP.resolve("train-start-cache.log"));
        }
        processes.forget(training);
    }

    /**
     * Starts the packaged function in its own directory (where the class-data archive and the AOT
     * cache are looked up, as in the container image) and waits for its first served execute.
     */
    private StartedFunction startFunction(String name, int port, Jvm jvm, String javaOpts, Map<String, String> env)
            throws Exception {
        List<String> options = new ArrayList<>(ContainerJvm.split(javaOpts));
        options.addAll(jvm.cacheOptions());
        Map<String, String> all = new java.util.HashMap<>(JAVA_ENV);
        all.putAll(env);
        return StartedFunction.start(processes, name, jvm.java(), options, APP, all, port, requests.get());
    }

    private String startWebdis() throws Exception {
        Path webdis = Processes.onPath("webdis");
        if (webdis == null) {
            return null;
        }
        int port = Processes.freePort();
        Path config = OUT.resolve("webdis.json");
        Files.writeString(config, "{\"redis_host\":\"127.0.0.1\",\"redis_port\":" + redis.port()
                + ",\"http_host\":\"127.0.0.1\","
                + "\"http_port\":" + port + ",\"threads\":2,\"pool_size\":20,\"daemonize\":false,\"websockets\":false,"
                + "\"database\":0,\"verbosity\":0,\"logfile\":\"" + OUT.resolve("webdis.log").toAbsolutePath() + "\"}");
        processes.start("webdis", List.of(webdis.toString(), config.toString()), Map.of(), null);
        Processes.waitForPort(port, "webdis");
        return "http://127.0.0.1:" + port;
    }

    private void redisBenchmark(Results results) throws Exception {
        Path tool = Processes.onPath("redis-benchmark");
        if (tool == null) {
            results.note("redis-benchmark", "not installed: no physical-limit row");
            return;
        }
        for (int clients : new int[] {64, 1}) {
            for (String test : new String[] {"get", "set"}) {
                Process process = new ProcessBuilder(tool.toString(), "-h", "127.0.0.1", "-p", Integer.toString(redis.port()),
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

        static String micros(double micros) {
            if (Double.isNaN(micros)) {
                return "–";
            }
            return micros >= 1000 ? String.format(Locale.ROOT, "%.2f ms", micros / 1000)
                    : String.format(Locale.ROOT, "%.0f µs", micros);
        }
    }
}
