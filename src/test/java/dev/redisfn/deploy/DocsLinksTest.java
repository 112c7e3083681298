package dev.redisfn.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The manual sends readers to docs/ for what it no longer spells out, so each relative link of the
 * project's Markdown must lead to a file that exists and, with a {@code #fragment}, to one of its
 * headings (as GitHub names them).
 */
class DocsLinksTest {

    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} +(.+)$", Pattern.MULTILINE);
    private static final Pattern CODE_BLOCK = Pattern.compile("^```.*?^```", Pattern.MULTILINE | Pattern.DOTALL);

    @Test
    void everyRelativeLinkLeadsToAFileAndAHeading() throws IOException {
        List<Path> documents = new ArrayList<>(List.of(Path.of("README.md"), Path.of("src/bench/README.md")));
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).forEach(documents::add);
        }
        List<String> broken = new ArrayList<>();
        int relative = 0;
        for (Path document : documents) {
            Matcher link = LINK.matcher(Files.readString(document));
            while (link.find()) {
                String target = link.group(1);
                if (target.matches("[a-z]+:.*")) {
                    continue;
                }
                relative++;
                int hash = target.indexOf('#');
                String file = hash < 0 ? target : target.substring(0, hash);
                Path linked = file.isEmpty() ? document : document.resolveSibling(file).normalize();
                if (!Files.isRegularFile(linked)) {
                    broken.add(document + ": " + target + " (no file " + linked + ")");
                } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
                    broken.add(document + ": " + target + " (no such heading in " + linked + ")");
                }
            }
        }
        assertTrue(relative >= 3, "relative links found: " + relative);
        assertEquals(List.of(), broken);
    }

    @Test
    void anchorsAreNamedAsGitHubNamesThem() {
        assertEquals("8-memory-and-time-limits", slug("8. Memory and time limits"));
        assertEquals("12-the-adapter-transport", slug("12. The adapter (`transport/`)"));
        assertEquals("on-knative-functionyaml", slug("On Knative: `function.yaml`"));
    }

    private static Set<String> anchors(Path document) throws IOException {
        Set<String> anchors = new HashSet<>();
        // a "# comment" line of a shell example is not a heading
        Matcher heading = HEADING.matcher(CODE_BLOCK.matcher(Files.readString(document)).replaceAll(""));
        while (heading.find()) {
            anchors.add(slug(heading.group(1)));
        }
        return anchors;
    }

    /** GitHub's heading ids: lower case, punctuation other than '-' and '_' dropped, spaces to '-'. */
    private static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
    }
}
