package dev.redisfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/design.md, read from the sources: each package imports only the packages
 * below it; only the adapter package ({@code transport}) touches Vert.x or Netty internals or uses
 * reflection; Mutiny appears only at the Funqy edge ({@code function}); route orders are set in one
 * place, relative to Quarkus'; no source file outgrows 350 lines.
 */
class LayersTest {

    /** Top to bottom: a package may import itself and the packages after it. */
    static final List<String> LAYERS = List.of("http", "function", "pipeline", "request", "command", "connection",
            "security", "config", "response", "observe", "transport", "model");

    private static final Path MAIN = Path.of("src/main/java/dev/redisfn");
    private static final Pattern OWN_IMPORT = Pattern.compile("^import (?:static )?dev\\.redisfn\\.(\\w+)\\.", Pattern.MULTILINE);
    /** A fully qualified name of the project's, into a sub-package too ({@code dev.redisfn.security.credentials.X}). */
    private static final Pattern OWN_NAME = Pattern.compile("\\bdev\\.redisfn\\.(\\w+)(?:\\.[a-z]\\w*)*\\.[A-Z]");
    /** Any name in, or import of, an {@code impl} or {@code internal} package of Vert.x or Netty ({@code io.vertx.core.impl.*} too). */
    private static final Pattern INTERNALS = Pattern.compile("\\b(?:io\\.vertx|io\\.netty)\\.(?:\\w+\\.)*(?:impl|internal)\\b");
    private static final Pattern REFLECTION = Pattern.compile(String.join("|", "\\bsetAccessible\\s*\\(",
            "\\bget(?:Declared)?(?:Field|Method|Constructor)s?\\s*\\(", "\\bClass\\.forName\\s*\\(", "\\bMethodHandles\\b",
            "\\bloadClass\\s*\\(", "\\bsun\\.misc\\.Unsafe\\b", "\\bjava\\.lang\\.(?:reflect|invoke)\\b",
            "::\\s*(?:setAccessible|get(?:Declared)?(?:Field|Method|Constructor)s?|forName|loadClass)\\b"));
    private static final Pattern MUTINY = Pattern.compile("\\bio\\.(?:smallrye|vertx)\\.mutiny\\b");
    /** Where route orders are set: the one file, {@code http/HttpRoutes}. */
    private static final Path ROUTES = MAIN.resolve("http/HttpRoutes.java");
    private static final Pattern ORDER_CALL = Pattern.compile("\\.order\\s*\\(([^)]*)\\)");
    private static final Pattern ROUTE_ANNOTATION_ORDER = Pattern.compile("@Route\\s*\\([^)]*\\border\\s*=");

    private static Map<Path, String> sources;

    @BeforeAll
    static void read() throws IOException {
        sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                sources.put(file, Files.readString(file));
            }
        }
        assertTrue(sources.size() > 50, "read the main sources: " + sources.size());
    }

    private static String layerOf(Path file) {
        return MAIN.relativize(file).getName(0).toString();
    }

    @Test
    void everyPackageIsALayer() {
        List<String> stray = new ArrayList<>();
        sources.keySet().forEach(file -> {
            if (MAIN.relativize(file).getNameCount() < 2 || !LAYERS.contains(layerOf(file))) {
                stray.add(MAIN.relativize(file).toString());
            }
        });
        assertEquals(List.of(), stray, "sources outside the layers " + LAYERS);
    }

    @Test
    void importsPointDownOnly() {
        List<String> upward = new ArrayList<>();
        sources.forEach((file, text) -> {
            int own = LAYERS.indexOf(layerOf(file));
            for (Pattern pattern : List.of(OWN_IMPORT, OWN_NAME)) {
                Matcher used = pattern.matcher(text);
                while (used.find()) {
                    int target = LAYERS.indexOf(used.group(1));
                    if (target < own) {
                        upward.add(MAIN.relativize(file) + " uses " + used.group(1));
                    }
                }
            }
        });
        assertEquals(List.of(), upward.stream().distinct().toList(), "a layer reaches up");
    }

    @Test
    void onlyTheAdapterTouchesInternalsOrReflection() {
        List<String> outside = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (!layerOf(file).equals("transport") && (INTERNALS.matcher(text).find() || REFLECTION.matcher(text).find())) {
                outside.add(MAIN.relativize(file).toString());
            }
        });
        assertEquals(List.of(), outside, "Vert.x/Netty internals or reflection outside transport/");
    }

    /** The patterns above catch what they are for (a check that matches nothing would pass forever). */
    @Test
    void thePatternsCatchTheFormsTheyForbid() {
        for (String line : List.of("import io.vertx.core.impl.*;", "import io.vertx.core.impl.ContextInternal;",
                "io.netty.util.internal.PlatformDependent.directBufferPreferred()", "import io.vertx.core.internal.VertxInternal;",
                "\"io.vertx.redis.client.impl.RedisStandaloneConnection\"")) {
            assertTrue(INTERNALS.matcher(line).find(), line);
        }
        for (String line : List.of("field.setAccessible(true)", "type.getDeclaredField(\"x\")", "Class.forName(name)",
                "type.getDeclaredMethods()", "type.getDeclaredConstructor()", "MethodHandles.lookup()",
                "import sun.misc.Unsafe;", "import java.lang.reflect.Field;", "import java.lang.reflect.*;",
                "type.getMethod(\"x\")", "type.getFields()", "loader.loadClass(name)", "import java.lang.invoke.VarHandle;",
                "types.map(Class::getDeclaredFields)", "names.map(Class::forName)", "fields.forEach(f -> f.setAccessible(true))")) {
            assertTrue(REFLECTION.matcher(line).find(), line);
        }
        Matcher credentials = OWN_NAME.matcher("new dev.redisfn.security.credentials.TokenFile(path)");
        assertTrue(credentials.find());
        assertEquals("security", credentials.group(1));
        assertTrue(MUTINY.matcher("import io.vertx.mutiny.core.Vertx;").find());
        assertTrue(MUTINY.matcher("import io.smallrye.mutiny.Uni;").find());
        assertTrue(ROUTE_ANNOTATION_ORDER.matcher("@Route(path = \"/x\", order = Integer.MIN_VALUE)").find());
    }

    @Test
    void mutinyOnlyAtTheFunqyEdge() {
        List<String> outside = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (MUTINY.matcher(text).find() && !layerOf(file).equals("function")) {
                outside.add(MAIN.relativize(file).toString());
            }
        });
        assertEquals(List.of(), outside, "Mutiny outside function/");
    }

    @Test
    void routeOrdersAreSetOnlyInHttpRoutes() {
        List<String> elsewhere = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (!file.equals(ROUTES) && (ORDER_CALL.matcher(text).find() || ROUTE_ANNOTATION_ORDER.matcher(text).find())) {
                elsewhere.add(MAIN.relativize(file).toString());
            }
        });
        assertEquals(List.of(), elsewhere);
    }

    /** Each order is a constant of HttpRoutes built from Quarkus' RouteConstants, never from Integer.MIN_VALUE. */
    @Test
    void routeOrdersAreRelativeToQuarkusNotBuiltFromMinValue() {
        String routes = sources.get(ROUTES);
        List<String> wrong = new ArrayList<>();
        Matcher order = ORDER_CALL.matcher(routes);
        int orders = 0;
        while (order.find()) {
            orders++;
            String argument = order.group(1).trim();
            Matcher constant = Pattern.compile("static final int " + Pattern.quote(argument) + "\\s*=([^;]*);").matcher(routes);
            if (!argument.matches("[A-Z_]+") || !constant.find() || !constant.group(1).contains("RouteConstants.")
                    || constant.group(1).contains("MIN_VALUE")) {
                wrong.add(".order(" + argument + ")");
            }
        }
        assertTrue(orders > 0, "HttpRoutes orders its routes");
        assertEquals(List.of(), wrong);
    }

    @Test
    void noSourceFileOver350Lines() {
        List<String> long_ = new ArrayList<>();
        sources.forEach((file, text) -> {
            long lines = text.lines().count();
            if (lines > 350) {
                long_.add(MAIN.relativize(file) + " (" + lines + ")");
            }
        });
        assertEquals(List.of(), long_);
    }
}
