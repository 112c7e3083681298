package dev.redisfn.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;

/**
 * Numbers reach Redis as their decimal text, never through {@code Request.arg(long)} (or its
 * {@code int}, {@code short} and {@code byte} forms): vertx-redis-client 4.5 sizes the digits of a
 * long with {@code Math.log10}, which rounds 999999999999999 up to 15, so such a value went out with
 * a leading NUL byte and Redis refused it ("value is not an integer"). The compiled classes are read
 * with javap, so a new call site fails here rather than in a caller's flow.
 */
class NumericArgumentsTest {

    private static final Path CLASSES = Path.of("target/classes/dev/redisfn");
    private static final Pattern INTEGRAL_ARG = Pattern.compile("io/vertx/redis/client/Request\\.arg:\\([JISB]\\)");

    @Test
    void noClassHandsRedisANumberAsALong() throws IOException {
        List<String> classes;
        try (Stream<Path> files = Files.walk(CLASSES)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).map(Path::toString).collect(Collectors.toList());
        }
        assertTrue(classes.size() > 100, "read the compiled classes: " + classes.size());
        ToolProvider javap = ToolProvider.findFirst("javap").orElseThrow();
        if (INTEGRAL_ARG.matcher(disassemble(javap, classes)).find()) {
            List<String> offenders = classes.stream()
                    .filter(file -> INTEGRAL_ARG.matcher(disassemble(javap, List.of(file))).find()).collect(Collectors.toList());
            assertEquals(List.of(), offenders, "pass Long.toString(n) to Request.arg, not the number itself");
        }
    }

    @Test
    void theDecimalTextIsWhatGoesOnTheWire() {
        long nines = 999_999_999_999_999L;
        String encoded = Request.cmd(Command.INCRBY).arg("k").arg(Long.toString(nines)).toString();
        assertTrue(encoded.contains("$15\r\n999999999999999\r\n"), encoded);
    }

    private static String disassemble(ToolProvider javap, List<String> files) {
        StringWriter out = new StringWriter();
        List<String> args = new ArrayList<>(List.of("-c", "-p"));
        args.addAll(files);
        int status = javap.run(new PrintWriter(out), new PrintWriter(out), args.toArray(String[]::new));
        assertEquals(0, status, out.toString());
        return out.toString();
    }
}
