package dev.redisfn.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Histogram;

/** Drives HTTP load: wrk when installed, else a closed-loop Java client. */
interface Load {
    String name();

    Result run(String url, String body, int connections, int seconds) throws Exception;

    Result runRotating(String url, List<String> bodies, int connections, int seconds) throws Exception;

    static boolean wrkAvailable() {
        return Processes.onPath("wrk") != null;
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
