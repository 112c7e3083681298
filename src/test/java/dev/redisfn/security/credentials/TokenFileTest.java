package dev.redisfn.security.credentials;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.redisfn.model.ConnectorException;
import dev.redisfn.model.ErrorCode;

/** A mounted token: read, trimmed, re-read when the file changes, and never shown. */
class TokenFileTest {

    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2lnbmF0dXJl";

    @TempDir
    Path dir;

    @Test
    void anEventNamesATokenFileOnlyInsideTheListedDirectories() {
        List<Path> dirs = List.of(Path.of("/var/run/secrets/redis"));
        TokenFile.requireInside("/var/run/secrets/redis/token", dirs);
        TokenFile.requireInside("/var/run/secrets/redis/..data/token", dirs);
        for (String refused : List.of("/proc/self/environ", "/var/run/secrets/redis/../../../../proc/self/environ",
                "/var/run/secrets/redis", "/var/run/secrets/redisx/token", "var/run/secrets/redis/token")) {
            ConnectorException e = assertThrows(ConnectorException.class, () -> TokenFile.requireInside(refused, dirs),
                    refused);
            assertEquals(ErrorCode.INVALID_CONNECTION, e.code());
            assertThat(e.getMessage(), containsString("connector.auth.inline-token-dirs"));
        }
        ConnectorException none = assertThrows(ConnectorException.class,
                () -> TokenFile.requireInside("/var/run/secrets/redis/token", List.of()));
        assertThat(none.getMessage(), containsString("lists none"));
    }

    @Test
    void readsAndTrims() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "  " + TOKEN + "\n");

        assertEquals(TOKEN, TokenFile.of(file.toString()).token().reveal());
    }

    @Test
    void picksUpARewrittenFile() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "first-token");
        TokenFile tokens = TokenFile.of(file.toString());
        assertEquals("first-token", tokens.token().reveal());

        Files.writeString(file, "second-token-longer");
        assertEquals("second-token-longer", tokens.token().reveal());

        // Same size in place: the modification time tells.
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, "third-token-longer!");
        Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 5_000));
        assertEquals("third-token-longer!", tokens.token().reveal());
    }

    @Test
    void picksUpAKubernetesStyleSymlinkSwap() throws IOException {
        // The kubelet writes each version into a new directory and swaps a symlink to it: same
        // size, possibly the same second, but another file (inode).
        Path v1 = Files.writeString(Files.createDirectory(dir.resolve("v1")).resolve("token"), "aaaa-1111");
        Path v2 = Files.writeString(Files.createDirectory(dir.resolve("v2")).resolve("token"), "bbbb-2222");
        Files.setLastModifiedTime(v2, Files.getLastModifiedTime(v1));
        Path link = Files.createSymbolicLink(dir.resolve("token"), v1);
        TokenFile tokens = TokenFile.of(link.toString());
        assertEquals("aaaa-1111", tokens.token().reveal());

        Path next = Files.createSymbolicLink(dir.resolve("token.next"), v2);
        Files.move(next, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("bbbb-2222", tokens.token().reveal());
    }

    @Test
    void anUnchangedFileIsNotReadAgainUntilItsTokenIsTenSecondsOld() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "cached-one");
        long[] now = {0};
        TokenFile tokens = new TokenFile(file, () -> now[0]);
        assertEquals("cached-one", tokens.token().reveal());

        // New content behind an unchanged stamp (size, time, inode), as a coarse clock may leave it
        FileTime before = Files.getLastModifiedTime(file);
        Files.writeString(file, "changed-!!");
        Files.setLastModifiedTime(file, before);
        now[0] = java.util.concurrent.TimeUnit.SECONDS.toNanos(TokenFile.REREAD_SECONDS) - 1;
        assertEquals("cached-one", tokens.token().reveal(), "within the reuse time the stamp decides");
        now[0] += 1;
        assertEquals("changed-!!", tokens.token().reveal(), "then it is read again");
    }

    @Test
    void missingFileIsAuthFailedNamingThePath() {
        Path file = dir.resolve("absent");
        ConnectorException e = assertThrows(ConnectorException.class, () -> TokenFile.of(file.toString()).token());

        assertEquals(ErrorCode.AUTH_FAILED, e.code());
        assertThat(e.getMessage(), containsString(file.toString()));
        assertThat(e.getMessage(), containsString("does not exist"));
        assertThat(e.hint(), containsString("auth.path"));
    }

    @Test
    void emptyOrBlankFileIsAuthFailed() throws IOException {
        for (String content : new String[] { "", " \n\t\n" }) {
            Path file = Files.writeString(dir.resolve("token"), content);
            ConnectorException e = assertThrows(ConnectorException.class, () -> TokenFile.of(file.toString()).token());

            assertEquals(ErrorCode.AUTH_FAILED, e.code());
            assertThat(e.getMessage(), containsString(file + " is empty"));
            assertThat(e.hint(), containsString("auth.path"));
        }
    }

    @Test
    void directoryOrOversizedFileIsAuthFailed() throws IOException {
        ConnectorException directory = assertThrows(ConnectorException.class, () -> TokenFile.of(dir.toString()).token());
        assertThat(directory.getMessage(), containsString("not a regular file"));

        Path big = Files.write(dir.resolve("big"), new byte[(int) TokenFile.MAX_BYTES + 1]);
        ConnectorException oversized = assertThrows(ConnectorException.class, () -> TokenFile.of(big.toString()).token());
        assertEquals(ErrorCode.AUTH_FAILED, oversized.code());
        assertThat(oversized.getMessage(), containsString("too large"));
    }

    @Test
    void theTokenIsNeverShown() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        TokenFile tokens = TokenFile.of(file.toString());
        tokens.token();

        assertEquals("token file " + file, tokens.describe());
        assertEquals("****", tokens.token().toString());

        Files.write(file, new byte[] { 'Q', 'x', 'Z', (byte) 0xC3, (byte) 0x28 }); // not UTF-8
        ConnectorException garbled = assertThrows(ConnectorException.class, tokens::token);
        assertThat(garbled.getMessage(), containsString("not UTF-8"));
        assertThat(garbled.getMessage(), not(containsString("QxZ")));

        Files.delete(file);
        ConnectorException gone = assertThrows(ConnectorException.class, tokens::token);
        assertThat(gone.getMessage(), not(containsString(TOKEN)));
        assertThat(gone.hint(), not(containsString(TOKEN)));
    }

    @Test
    void blankPathIsAnInvalidConnection() {
        ConnectorException e = assertThrows(ConnectorException.class, () -> TokenFile.of(" "));

        assertEquals(ErrorCode.INVALID_CONNECTION, e.code());
        assertThat(e.getMessage(), containsString("connection.auth.path"));
    }
}
