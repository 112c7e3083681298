package dev.redisfn.security.credentials;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.function.LongSupplier;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;
import dev.redisfn.model.Secret;

/**
 * A token the platform keeps in a mounted file and rotates in place: a Kubernetes projected
 * service-account token, or what an Entra ID / Vault sidecar writes. Surrounding whitespace (the
 * trailing newline most writers add) is trimmed.
 * <p>
 * Each call stats the file (following symbolic links, as Kubernetes swaps a {@code ..data} link)
 * and reads it again when its modification time, size or file key (inode) changed, so a rotated
 * token is picked up on the next call at the cost of one stat — and at least every {@value
 * #REREAD_SECONDS} seconds, for a writer that rewrites it in place within one tick of a coarse
 * clock (network and FAT file systems count in seconds), the size the same. Blocking; see {@link
 * TokenProvider}. Messages may show the path, never the content.
 */
public final class TokenFile implements TokenProvider {

    /** Far above any JWT; a larger file is the wrong path, and is not read into memory. */
    static final long MAX_BYTES = 64 * 1024;

    /** How long a token read may be reused behind an unchanged stamp. */
    static final long REREAD_SECONDS = 10;

    private final Path path;
    private final LongSupplier nanoTime;

    private Stamp stamp;
    private long readNanos;
    private Secret cached;

    TokenFile(Path path, LongSupplier nanoTime) {
        this.path = path;
        this.nanoTime = nanoTime;
    }

    /** @throws ConnectorException INVALID_CONNECTION ({@code connection.auth.path}) for a missing or malformed path */
    public static TokenFile of(String path) {
        if (path == null || path.isBlank()) {
            throw ConnectorException.invalidConnection("auth.path", "the token file's path is missing");
        }
        try {
            return new TokenFile(Path.of(path.trim()), System::nanoTime);
        } catch (InvalidPathException e) {
            throw ConnectorException.invalidConnection("auth.path", "'" + path + "' is not a file path");
        }
    }

    /**
     * Checks a path an event gives (not a named connection's): absolute, without {@code ..}, and
     * inside one of {@code dirs}, compared segment by segment without touching the file system.
     *
     * @throws ConnectorException INVALID_CONNECTION ({@code connection.auth.path}) otherwise
     */
    public static void requireInside(String path, List<Path> dirs) {
        Path file = of(path).path;
        if (dirs.isEmpty()) {
            throw ConnectorException.invalidConnection("auth.path", "an event may name a token file only in a directory"
                    + " that connector.auth.inline-token-dirs lists, and it lists none");
        }
        boolean climbs = false;
        for (Path segment : file) {
            climbs |= segment.toString().equals("..");
        }
        if (!file.isAbsolute() || climbs || dirs.stream().noneMatch(dir -> file.startsWith(dir) && !file.equals(dir))) {
            throw ConnectorException.invalidConnection("auth.path", "'" + path + "' is not a file inside the directories"
                    + " connector.auth.inline-token-dirs lists " + dirs);
        }
    }

    @Override
    public synchronized Secret token() {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            throw failure(e);
        }
        if (!attributes.isRegularFile()) {
            throw failed("is not a regular file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw failed("is larger than " + MAX_BYTES / 1024 + " KiB, too large for a token");
        }
        // Stamped before reading: a write during the read leaves a stamp that differs next time.
        Stamp now = new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        long nowNanos = nanoTime.getAsLong();
        if (cached != null && now.equals(stamp) && nowNanos - readNanos < REREAD_SECONDS * 1_000_000_000L) {
            return cached;
        }
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw failure(e);
        }
        if (text.isEmpty()) {
            throw failed("is empty");
        }
        cached = Secret.ofNullable(text);
        stamp = now;
        readNanos = nowNanos;
        return cached;
    }

    @Override
    public String describe() {
        return "token file " + path;
    }

    private ConnectorException failure(IOException e) {
        if (e instanceof NoSuchFileException) {
            return failed("does not exist");
        }
        if (e instanceof AccessDeniedException) {
            return failed("is not readable by the function (permission denied)");
        }
        if (e instanceof CharacterCodingException) {
            return failed("is not UTF-8 text");
        }
        // The class only: an I/O message is the platform's text, and need not be about the path.
        return failed("could not be read (" + e.getClass().getSimpleName() + ")");
    }

    private ConnectorException failed(String problem) {
        return new ConnectorException(ErrorCode.AUTH_FAILED, "the token file " + path + " " + problem,
                "auth.path: mount the token at this path (a projected volume or a sidecar's output), or correct"
                        + " auth.path");
    }

    /** What is compared on each call; the file key is the inode where the file system has one. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
    }
}
