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
import java.util.function.DoubleFunction;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * Compares two builds of the function on this machine, in one run: both run at once, each from its
 * own {@code target/quarkus-app} with the JVM options and environment of its own {@code function.yaml},
 * against one Redis, and the load goes to one build and then the other, scenario by scenario, in
 * {@code bench.rounds} rounds, the build that goes first alternating from round to round. Writes
 * {@code target/bench/compare.md}: per scenario the median across rounds of each build and the ratio
 * new/old, and every round's values. src/bench/compare.sh builds both and runs this.
 *
 * <p>System properties: {@code bench.old} and {@code bench.new}, the two trees (default
 * {@code target/bench-old} and the current directory), {@code bench.oldRev}, the revision the old
 * tree was checked out at as the caller named it (for the report), {@code bench.warmup},
 * {@code bench.seconds} and {@code bench.rounds}.
 */
public final class Compare {

    static final Path OUT = Path.of("target/bench");
    /** Warm-up per build, before the rounds: half GET, half SET, at 64 connections. */
    static final int WARMUP_S = Integer.getInteger("bench.warmup", 20);
    static final int RUN_S = Integer.getInteger("bench.seconds", 10);
    static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
    /** Both builds run on the JDK that runs this driver (17 here, as in the image). */
    static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    /** One load shape. */
    private record Scenario(String operation, int connections, String body) {
        String label() {
            return operation + ", " + connections + (connections == 1 ? " connection" : " connections");
        }
    }

    /** One of the two builds, and what its runs measured. */
    private static final class Build {
        final String name;
        final Path tree;
        final String revision;
        final ContainerJvm jvm;
        StartedFunction function;
        long warmupPeakKb;
        final Map<Scenario, List<Result>> results = new LinkedHashMap<>();
        /** Per round: the peak RSS of this build's runs in that round (kB). */
        final List<Double> rssPerRound = new ArrayList<>();
        /** Per round: the median of the VmRSS samples taken during this build's runs in that round (kB). */
        final List<Double> typicalRssPerRound = new ArrayList<>();
        boolean rssExact = true;
        /** Per round: new server connections and calls during this build's 64-connection GET run. */
        final List<long[]> getConnectionsPerRound = new ArrayList<>();
        long allConnections;
        long allCalls;
        long non2xx;

        Build(String name, Path tree, String namedAs) {
            this.name = name;
            this.tree = tree;
            this.revision = describe(tree, namedAs);
            Path functionYaml = tree.resolve("function.yaml");
            if (!Files.isRegularFile(tree.resolve("target/quarkus-app/quarkus-run.jar"))) {
                throw new IllegalStateException("no " + tree.resolve("target/quarkus-app/quarkus-run.jar")
                        + ": package that tree first (mvn -DskipTests package)");
            }
            this.jvm = ContainerJvm.read(functionYaml);
        }

        Path app() {
            return tree.resolve("target/quarkus-app");
        }

        List<Double> values(Scenario scenario, ToDoubleFunction<Result> metric) {
            return results.getOrDefault(scenario, List.of()).stream().map(metric::applyAsDouble).toList();
        }

        double getPer100k() {
            long connections = getConnectionsPerRound.stream().mapToLong(round -> round[0]).sum();
            long calls = getConnectionsPerRound.stream().mapToLong(round -> round[1]).sum();
            return calls == 0 ? Double.NaN : connections * 100_000.0 / calls;
        }

        List<Double> getPer100kPerRound() {
            return getConnectionsPerRound.stream()
                    .map(round -> round[1] == 0 ? Double.NaN : round[0] * 100_000.0 / round[1]).toList();
        }
    }

    /** What a row's ratio is held to: the bounds the changes to come must keep. */
    private enum Check {
        NONE(""),
        THROUGHPUT("≥ 0.95"),
        LATENCY("≤ 1.05"),
        NO_WORSE("new ≤ old");

        final String bound;

        Check(String bound) {
            this.bound = bound;
        }

        String verdict(double old, double neu) {
            if (this == NONE) {
                return "";
            }
            if (Double.isNaN(old) || Double.isNaN(neu)) {
                return bound + " ?";
            }
            boolean kept = switch (this) {
                case THROUGHPUT -> neu >= 0.95 * old;
                case LATENCY -> neu <= 1.05 * old;
                default -> neu <= old;
            };
            return bound + (kept ? " ✓" : " ✗");
        }
    }

    /** One row: its headline value per build, its per-round values, its format and its check. */
    private record Metric(String label, Function<Build, Double> headline, Function<Build, List<Double>> perRound,
            DoubleFunction<String> format, Check check) {
    }

    private final Processes processes;
    private final Load load;
    private final Build old;
    private final Build neu;
    private Redis redis;

    private Compare(Processes processes, Load load, Build old, Build neu) {
        this.processes = processes;
        this.load = load;
        this.old = old;
        this.neu = neu;
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(OUT);
        Build old = new Build("old", Path.of(System.getProperty("bench.old", "target/bench-old")),
                System.getProperty("bench.oldRev"));
        Build neu = new Build("new", Path.of(System.getProperty("bench.new", ".")), null);
        Load load = Load.wrkAvailable() ? new Load.Wrk(OUT) : new Load.Java();
        Processes processes = new Processes(OUT);
        Runtime.getRuntime().addShutdownHook(new Thread(processes::close));
        try {
            new Compare(processes, load, old, neu).run();
        } finally {
            processes.close();
        }
    }

    private void run() throws Exception {
        redis = Redis.start(processes, "compare-redis");
        redis.command("SET", "bench:k", Requests.VALUE);
        Requests requests = new Requests(redis.port());
        List<Scenario> scenarios = List.of(new Scenario("GET", 64, requests.get()), new Scenario("SET", 64, requests.set()),
                new Scenario("GET", 1, requests.get()), new Scenario("SET", 1, requests.set()));

        // one after the other, so that the two starts do not share the cores; then both stay up
        for (Build build : List.of(old, neu)) {
            build.function = StartedFunction.start(processes, "compare-" + build.name, JAVA, build.jvm.optionList(),
                    build.app(), build.jvm.environment(), Processes.freePort(), requests.get());
            System.out.printf(Locale.ROOT, "%s (%s) serves at %s, pid %d%n", build.name, build.revision,
                    build.function.url(), build.function.process().pid());
        }
        int warmGet = WARMUP_S - WARMUP_S / 2;
        int warmSet = WARMUP_S / 2;
        for (Build build : List.of(old, neu)) {
            System.out.println("warming up " + build.name + " for " + WARMUP_S + " s");
            if (warmGet > 0) {
                load.run(build.function.url(), requests.get(), 64, warmGet);
            }
            if (warmSet > 0) {
                load.run(build.function.url(), requests.set(), 64, warmSet);
            }
            build.warmupPeakKb = RssSampler.field(status(build), "VmHWM:");
        }

        for (int round = 1; round <= ROUNDS; round++) {
            List<Build> order = round % 2 == 1 ? List.of(old, neu) : List.of(neu, old);
            long[] roundPeak = new long[2];
            List<List<Double>> roundSamples = List.of(new ArrayList<>(), new ArrayList<>());
            for (Scenario scenario : scenarios) {
                for (Build build : order) {
                    int index = build == old ? 0 : 1;
                    roundPeak[index] = Math.max(roundPeak[index], measure(round, build, scenario, roundSamples.get(index)));
                }
            }
            old.rssPerRound.add((double) roundPeak[0]);
            neu.rssPerRound.add((double) roundPeak[1]);
            old.typicalRssPerRound.add(median(roundSamples.get(0)));
            neu.typicalRssPerRound.add(median(roundSamples.get(1)));
        }

        String report = report(scenarios);
        Files.writeString(OUT.resolve("compare.md"), report);
        System.out.println(report);
    }

    /** One measurement of one build: its result is kept, its VmRSS samples added to {@code rssSamples}; returns its peak RSS in kB. */
    private long measure(int round, Build build, Scenario scenario, List<Double> rssSamples) throws Exception {
        long connectionsBefore = redis.stat("total_connections_received");
        RssSampler rss = new RssSampler(build.function.process().pid(), true);
        Result result = load.run(build.function.url(), scenario.body(), scenario.connections(), RUN_S);
        long peakKb = rss.stop();
        rss.samples().forEach(sample -> rssSamples.add((double) sample));
        long newConnections = redis.stat("total_connections_received") - connectionsBefore;
        build.rssExact &= rss.exact();
        build.results.computeIfAbsent(scenario, k -> new ArrayList<>()).add(result);
        build.allConnections += newConnections;
        build.allCalls += result.requests();
        build.non2xx += result.non2xx();
        if (scenario.operation().equals("GET") && scenario.connections() == 64) {
            build.getConnectionsPerRound.add(new long[] {newConnections, result.requests()});
        }
        System.out.printf(Locale.ROOT, "round %d/%d  %-18s %s  %,9.0f req/s  p50 %s  p99 %s  peak RSS %.1f MB%s%n", round,
                ROUNDS, scenario.label(), build.name, result.rps(), Bench.Results.micros(result.p50us()),
                Bench.Results.micros(result.p99us()), peakKb / 1024.0,
                result.non2xx() > 0 ? "  NON-2XX " + result.non2xx() : "");
        return peakKb;
    }

    private static Path status(Build build) {
        return Path.of("/proc", Long.toString(build.function.process().pid()), "status");
    }

    private String report(List<Scenario> scenarios) throws IOException {
        DoubleFunction<String> perSecond = value -> String.format(Locale.ROOT, "%,.0f req/s", value);
        DoubleFunction<String> micros = Bench.Results::micros;
        DoubleFunction<String> per100k = value -> Double.isNaN(value) ? "–" : String.format(Locale.ROOT, "%.1f", value);
        DoubleFunction<String> megabytes = value -> String.format(Locale.ROOT, "%.1f MB", value / 1024);
        List<Metric> metrics = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            if (scenario.connections() > 1) {
                metrics.add(scenarioMetric(scenario, "req/s", Result::rps, perSecond, Check.THROUGHPUT));
                metrics.add(scenarioMetric(scenario, "p50", Result::p50us, micros, Check.NONE));
                metrics.add(scenarioMetric(scenario, "p99", Result::p99us, micros, Check.NONE));
            } else {
                metrics.add(scenarioMetric(scenario, "p50", Result::p50us, micros, Check.LATENCY));
            }
        }
        metrics.add(new Metric("new server connections per 100,000 calls (GET, 64 connections)", Build::getPer100k,
                Build::getPer100kPerRound, per100k, Check.NO_WORSE));
        metrics.add(new Metric("peak RSS during its load runs",
                build -> build.rssPerRound.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN),
                build -> build.rssPerRound, megabytes, Check.NO_WORSE));
        metrics.add(new Metric("median RSS during its load runs", build -> median(build.typicalRssPerRound),
                build -> build.typicalRssPerRound, megabytes, Check.NONE));

        StringBuilder md = new StringBuilder("# Comparison of two builds\n\n");
        md.append("old: ").append(old.revision).append(" — new: ").append(neu.revision).append("\n\n");
        md.append("Run ").append(LocalDateTime.now().withNano(0)).append(" on ").append(machine())
                .append(", load driver: ").append(load.name()).append(". One Redis 7.0.15, 100-byte values, loopback. ")
                .append(String.format(Locale.ROOT, "%d round%s of %d s per measurement after %d s of warm-up per build; "
                        + "each row is the median across rounds (peak RSS: the highest), new/old is the ratio of those, "
                        + "and paired new/old the median of the rounds' own ratios (the two runs of a round are seconds "
                        + "apart, so a drift of the machine's speed sways it less).",
                        ROUNDS, ROUNDS == 1 ? "" : "s", RUN_S, WARMUP_S))
                .append("\n\n| scenario | old | new | new/old | paired new/old | bound |\n|---|---|---|---|---|---|\n");
        for (Metric metric : metrics) {
            double o = metric.headline().apply(old);
            double n = metric.headline().apply(neu);
            md.append("| ").append(metric.label()).append(" | ").append(metric.format().apply(o)).append(" | ")
                    .append(metric.format().apply(n)).append(" | ").append(ratio(o, n)).append(" | ")
                    .append(ratio(median(roundRatios(metric, old, neu)))).append(" | ")
                    .append(metric.check().verdict(o, n)).append(" |\n");
        }

        md.append("\n- **method**: both builds run at once, each on its own port, from its own `target/quarkus-app`, "
                + "on Java ").append(System.getProperty("java.version")).append(" without a class-data archive, against "
                + "one Redis; only one is loaded at a time. In each round every scenario runs on one build, then on "
                + "the other; the old build goes first in odd rounds, the new one in even rounds. Warm-up: ")
                .append(WARMUP_S - WARMUP_S / 2).append(" s GET and ").append(WARMUP_S / 2)
                .append(" s SET at 64 connections per build, before the first round.\n");
        md.append("- **JVM**: ").append(jvmNote()).append('\n');
        md.append("- **connections**: ").append(connectionsNote(old)).append("; ").append(connectionsNote(neu))
                .append(". Deltas of Redis `INFO stats` total_connections_received around each run, read on a "
                        + "connection of the driver's own opened before the runs (so none of the driver's counts).\n");
        md.append("- **rss**: ").append(rssNote()).append('\n');
        md.append("- **start**: ").append(String.format(Locale.ROOT, "old served its first call %.0f ms after process "
                + "start, new after %.0f ms (one start each: not a comparison)", old.function.firstServedMs(),
                neu.function.firstServedMs())).append('\n');
        md.append("- **errors**: ").append(old.non2xx + neu.non2xx == 0 ? "no non-2xx responses"
                : String.format(Locale.ROOT, "NON-2XX RESPONSES: old %,d, new %,d; the figures of that build are not "
                        + "its service rate", old.non2xx, neu.non2xx)).append('\n');
        md.append("- **claim**: absolute numbers move with the machine and with what else runs on it; the ratios "
                + "new/old, measured alternately in one run, are the claim. The per-round ratios below show how far a "
                + "single round's ratio moves on this machine.\n");

        md.append("\n## Every round\n\n| scenario | build |");
        for (int round = 1; round <= ROUNDS; round++) {
            md.append(' ').append(round).append(" |");
        }
        md.append(" median |\n|---|---|").append("---|".repeat(ROUNDS + 1)).append('\n');
        md.append("| first to run | |");
        for (int round = 1; round <= ROUNDS; round++) {
            md.append(round % 2 == 1 ? " old |" : " new |");
        }
        md.append(" |\n");
        for (Metric metric : metrics) {
            List<Double> o = metric.perRound().apply(old);
            List<Double> n = metric.perRound().apply(neu);
            md.append("| ").append(metric.label()).append(" | old |").append(cells(o, metric.format()))
                    .append(' ').append(metric.format().apply(median(o))).append(" |\n");
            md.append("| | new |").append(cells(n, metric.format())).append(' ')
                    .append(metric.format().apply(median(n))).append(" |\n");
            List<Double> ratios = roundRatios(metric, old, neu);
            md.append("| | new/old |").append(cells(ratios, Compare::ratio)).append(' ')
                    .append(ratio(median(ratios))).append(" |\n");
        }
        return md.toString();
    }

    /** Each round's new/old of {@code metric}. */
    private static List<Double> roundRatios(Metric metric, Build old, Build neu) {
        List<Double> o = metric.perRound().apply(old);
        List<Double> n = metric.perRound().apply(neu);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(o.size(), n.size()); i++) {
            ratios.add(n.get(i) / o.get(i));
        }
        return ratios;
    }

    private static Metric scenarioMetric(Scenario scenario, String what, ToDoubleFunction<Result> value,
            DoubleFunction<String> format, Check check) {
        return new Metric(scenario.label() + ": " + what, build -> median(build.values(scenario, value)),
                build -> build.values(scenario, value), format, check);
    }

    private static String cells(List<Double> values, DoubleFunction<String> format) {
        return values.stream().map(value -> " " + format.apply(value) + " |").collect(Collectors.joining());
    }

    private static String ratio(double old, double neu) {
        return ratio(neu / old);
    }

    private static String ratio(double ratio) {
        return Double.isNaN(ratio) || Double.isInfinite(ratio) ? "–" : String.format(Locale.ROOT, "%.3f", ratio);
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().filter(value -> !Double.isNaN(value)).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    private static String connectionsNote(Build build) {
        long connections = build.getConnectionsPerRound.stream().mapToLong(round -> round[0]).sum();
        long calls = build.getConnectionsPerRound.stream().mapToLong(round -> round[1]).sum();
        return String.format(Locale.ROOT, "%s %d new during %,d GET calls at 64 connections (%,d during all its %,d "
                + "measured calls)", build.name, connections, calls, build.allConnections, build.allCalls);
    }

    private String rssNote() {
        String how = old.rssExact && neu.rssExact
                ? "per process, the kernel's peak (VmHWM, reset through /proc/<pid>/clear_refs before each of "
                        + "that build's runs) and VmRSS sampled every 200 ms, the higher of the two"
                : "per process, VmRSS sampled every 200 ms during that build's runs (VmHWM could not be reset here)";
        return how + String.format(Locale.ROOT, "; the other build is idle meanwhile. The median row is the median of "
                + "those 200 ms samples per round: the level the process holds under load, which the peak exceeds for "
                + "a few seconds whenever the JIT compiler's scratch memory grows (a C2 compilation's arena, then "
                + "freed and trimmed), at moments that differ from run to run. Peak during start and warm-up: "
                + "old %.1f MB, new %.1f MB.", old.warmupPeakKb / 1024.0, neu.warmupPeakKb / 1024.0);
    }

    private String jvmNote() {
        if (old.jvm.equals(neu.jvm)) {
            return "both from their own function.yaml, the same: `" + describe(old.jvm) + "`";
        }
        return "from each build's own function.yaml: old `" + describe(old.jvm) + "`; new `" + describe(neu.jvm) + "`";
    }

    private static String describe(ContainerJvm jvm) {
        String env = jvm.environment().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + "=" + entry.getValue()).collect(Collectors.joining(" "));
        return jvm.options() + (env.isEmpty() ? "" : " " + env);
    }

    private static String machine() {
        String cpu = System.getProperty("os.arch");
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        } catch (IOException | RuntimeException unreadable) {
            // not Linux: the architecture will do
        }
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), " + System.getProperty("os.name") + " "
                + System.getProperty("os.version") + ", Java " + System.getProperty("java.version");
    }

    /** The tree's commit as a short hash, its name as given when that differs, and whether the tree has changes. */
    private static String describe(Path tree, String namedAs) {
        String hash = git(tree, "rev-parse", "--short", "HEAD");
        if (hash.isEmpty()) {
            return "`" + tree + "` (not a git tree)";
        }
        StringBuilder revision = new StringBuilder("`" + hash + "`");
        if (namedAs != null && !namedAs.isBlank() && !hash.startsWith(namedAs)) {
            revision.append(" (").append(namedAs).append(')');
        }
        if (!git(tree, "status", "--porcelain").isEmpty()) {
            revision.append(" + uncommitted changes");
        }
        return revision.toString();
    }

    private static String git(Path tree, String... args) {
        List<String> command = new ArrayList<>(List.of("git", "-C", tree.toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return process.waitFor() == 0 ? output : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
