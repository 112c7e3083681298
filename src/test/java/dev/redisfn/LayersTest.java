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
 * below it; only the adapter package ({@code transport}) touches Vert.x internals or reflection;
 * Mutiny appears only at the Funqy edge ({@code function}); no source file outgrows 350 lines.
 */
class LayersTest {

    /** Top to bottom: a package may import itself and the packages after it. */
    static final List<String> LAYERS = List.of("http", "function", "pipeline", "request", "command", "connection",
            "security", "config", "response", "observe", "transport", "model");

    private static final Path MAIN = Path.of("src/main/java/dev/redisfn");
    private static final Pattern OWN_IMPORT = Pattern.compile("^import (?:static )?dev\\.redisfn\\.(\\w+)\\.", Pattern.MULTILINE);
    private static final Pattern OWN_NAME = Pattern.compile("\\bdev\\.redisfn\\.(\\w+)\\.[A-Z]");
    private static final Pattern INTERNALS = Pattern.compile("\\b(?:io\\.vertx|io\\.netty)\\.[\\w.]*\\bimpl\\.[\\w.]*[A-Z]");
    private static final Pattern REFLECTION = Pattern.compile("\\bsetAccessible\\s*\\(|\\bgetDeclaredField\\s*\\(");

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

    @Test
    void mutinyOnlyAtTheFunqyEdge() {
        List<String> outside = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (text.contains("io.smallrye.mutiny") && !layerOf(file).equals("function")) {
                outside.add(MAIN.relativize(file).toString());
            }
        });
        assertEquals(List.of(), outside, "Mutiny outside function/");
    }

    @Test
    void routeOrdersAreRelativeToQuarkusNotBuiltFromMinValue() {
        List<String> built = new ArrayList<>();
        sources.forEach((file, text) -> {
            if (text.contains(".order(") && text.contains("MIN_VALUE")) {
                built.add(MAIN.relativize(file).toString());
            }
        });
        assertEquals(List.of(), built);
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
