package dev.redisfn.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Samples a process's resident set size ({@code VmRSS} in /proc/&lt;pid&gt;/status, every 200 ms)
 * while a run goes on. With {@code resetPeak}, it first resets the process's own peak
 * ({@code VmHWM}, by writing 5 to /proc/&lt;pid&gt;/clear_refs, Linux 4.0 and later) and {@link #stop()}
 * also counts the peak the kernel kept since, which a 200 ms sampling can miss.
 */
final class RssSampler {
    private final AtomicLong peakKb = new AtomicLong();
    private final List<Long> samplesKb = Collections.synchronizedList(new ArrayList<>());
    private final Path status;
    private final boolean peakReset;
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(long pid) {
        this(pid, false);
    }

    RssSampler(long pid, boolean resetPeak) {
        Path proc = Path.of("/proc", Long.toString(pid));
        status = proc.resolve("status");
        peakReset = resetPeak && resetPeak(proc);
        thread = new Thread(() -> {
            while (running) {
                try {
                    long rssKb = field(status, "VmRSS:");
                    samplesKb.add(rssKb);
                    peakKb.accumulateAndGet(rssKb, Math::max);
                    Thread.sleep(200);
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean resetPeak(Path proc) {
        try {
            Files.writeString(proc.resolve("clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Whether the kernel's own peak was reset, so that {@link #stop()} is the exact peak. */
    boolean exact() {
        return peakReset;
    }

    /** Stops sampling; returns the peak in kB. */
    long stop() throws InterruptedException {
        running = false;
        thread.join(1000);
        if (peakReset) {
            try {
                peakKb.accumulateAndGet(field(status, "VmHWM:"), Math::max);
            } catch (IOException gone) {
                // the process has ended: the samples are what there is
            }
        }
        return peakKb.get();
    }

    /** Every VmRSS sample taken, in kB, in order (complete once {@link #stop()} has returned). */
    List<Long> samples() {
        synchronized (samplesKb) {
            return List.copyOf(samplesKb);
        }
    }

    /** A kB field of /proc/&lt;pid&gt;/status. */
    static long field(Path status, String name) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }
}
