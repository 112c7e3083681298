package dev.redisfn.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The curl examples of README.md, read as a reader reads them: each {@code curl} command of a
 * {@code bash} block and the answer the comment lines right below it show — an HTTP status line with
 * headers in parentheses (for {@code curl -i}) and a JSON body, either of which may be absent.
 */
final class ReadmeExamples {

    /** One curl command and what the README says it answers. */
    record Example(int line, String method, String url, Map<String, String> headers, String body, boolean showsHeaders,
            Integer expectedStatus, Map<String, String> expectedHeaders, String expectedJson) {
    }

    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3})[^(]*(?:\\((.*))?");
    private static final Pattern HEADER = Pattern.compile("([A-Za-z][A-Za-z0-9-]*): ([^,)]+)");

    private ReadmeExamples() {
    }

    static List<Example> read(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        List<Example> examples = new ArrayList<>();
        boolean inBash = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                inBash = !inBash && line.equals("```bash");
                continue;
            }
            if (!inBash || !line.startsWith("curl ")) {
                continue;
            }
            int start = i;
            StringBuilder command = new StringBuilder(line);
            while (continues(command.toString())) {
                command.append('\n').append(lines.get(++i));
            }
            List<String> answer = new ArrayList<>();
            while (i + 1 < lines.size() && lines.get(i + 1).startsWith("#")) {
                answer.add(lines.get(++i).substring(1).strip());
            }
            examples.add(example(start + 1, words(command.toString()), answer));
        }
        return examples;
    }

    /** Whether a command goes on on the next line: a trailing backslash, or a single quote still open. */
    private static boolean continues(String command) {
        return command.endsWith("\\") || command.chars().filter(c -> c == '\'').count() % 2 == 1;
    }

    /** The command's words as a POSIX shell splits them: single quotes taken literally, backslash-newline dropped. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c == '\'') {
                int end = command.indexOf('\'', i + 1);
                word = word == null ? new StringBuilder() : word;
                word.append(command, i + 1, end);
                i = end;
            } else if (c == '\\' && i + 1 < command.length() && command.charAt(i + 1) == '\n') {
                i++;
            } else if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
            } else {
                word = word == null ? new StringBuilder() : word;
                word.append(c);
            }
        }
        if (word != null) {
            words.add(word.toString());
        }
        return words;
    }

    private static Example example(int line, List<String> words, List<String> answer) {
        Map<String, String> headers = new LinkedHashMap<>();
        String url = null;
        String body = null;
        boolean showsHeaders = false;
        for (int w = 1; w < words.size(); w++) {
            String word = words.get(w);
            switch (word) {
                case "-H" -> {
                    String header = words.get(++w);
                    int colon = header.indexOf(':');
                    headers.put(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
                }
                case "-d" -> body = words.get(++w);
                case "-s" -> { }
                case "-si", "-is" -> showsHeaders = true;
                default -> {
                    if (word.startsWith("-") || url != null) {
                        throw new IllegalArgumentException("README line " + line + ": curl word not understood: " + word);
                    }
                    url = word;
                }
            }
        }
        Integer status = null;
        Map<String, String> expectedHeaders = new LinkedHashMap<>();
        StringBuilder json = null;
        String statusText = null;
        for (String comment : answer) {
            Matcher statusLine = STATUS.matcher(comment);
            if (json == null && statusLine.matches()) {
                status = Integer.valueOf(statusLine.group(1));
                statusText = statusLine.group(2) == null ? "" : statusLine.group(2);
            } else if (json == null && statusText != null && !comment.startsWith("{")) {
                statusText += " " + comment; // the parenthesis of headers goes on
            } else if (comment.startsWith("{") || json != null) {
                json = json == null ? new StringBuilder(comment) : json.append(' ').append(comment);
            }
        }
        if (statusText != null) {
            Matcher header = HEADER.matcher(statusText);
            while (header.find()) {
                expectedHeaders.put(header.group(1), header.group(2).strip());
            }
        }
        String method = body == null ? "GET" : "POST";
        return new Example(line, method, url, headers, body, showsHeaders, status, expectedHeaders,
                json == null ? null : json.toString());
    }
}
