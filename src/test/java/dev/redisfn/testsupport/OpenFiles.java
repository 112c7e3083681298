package dev.redisfn.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** File descriptors this JVM holds open (sockets included), read from {@code /proc/self/fd} on Linux. */
public final class OpenFiles {

    private static final Path FDS = Path.of("/proc/self/fd");

    private OpenFiles() {
    }

    public static boolean supported() {
        return Files.isDirectory(FDS);
    }

    public static long count() {
        try (Stream<Path> fds = Files.list(FDS)) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + FDS, e);
        }
    }
}
