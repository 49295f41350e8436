package dev.grainfs.dist;

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
 * A systemd unit file read the way systemd reads the parts the tests need: [Service] settings, the
 * specifiers %i %I %f %%, EnvironmentFile= and Environment=, and ExecStart= with ${VAR} and $VAR expansion.
 */
final class SystemdUnit {
    private final String name;
    /** section name ("Unit", "Service", "Install") -> key -> values in file order */
    private final Map<String, Map<String, List<String>>> sections = new LinkedHashMap<>();

    private SystemdUnit(String name) {
        this.name = name;
    }

    static SystemdUnit read(Path file) throws IOException {
        SystemdUnit u = new SystemdUnit(file.getFileName().toString());
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line.substring(1, line.length() - 1);
            } else {
                int eq = line.indexOf('=');
                u.sections.computeIfAbsent(section, k -> new LinkedHashMap<>())
                        .computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>())
                        .add(line.substring(eq + 1).strip());
            }
        }
        return u;
    }

    /** The last value of a [Service] setting, or null. */
    String get(String key) {
        return get("Service", key);
    }

    /** The last value of a setting in {@code section}, or null. */
    String get(String section, String key) {
        List<String> v = all(section, key);
        return v.isEmpty() ? null : v.get(v.size() - 1);
    }

    List<String> all(String key) {
        return all("Service", key);
    }

    List<String> all(String section, String key) {
        return sections.getOrDefault(section, Map.of()).getOrDefault(key, List.of());
    }

    /**
     * The environment the service gets: Environment= lines, then the EnvironmentFile= files (which win), each
     * path given to {@code files} to resolve (an installed root). A "-" file that does not exist is skipped.
     */
    Map<String, String> environment(String instance, java.util.function.Function<String, Path> files)
            throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : all("Environment")) {
            for (String word : e.split("\\s+")) {
                String w = unquote(specifiers(word, instance));
                env.put(w.substring(0, w.indexOf('=')), w.substring(w.indexOf('=') + 1));
            }
        }
        for (String f : all("EnvironmentFile")) {
            boolean optional = f.startsWith("-");
            Path p = files.apply(specifiers(optional ? f.substring(1) : f, instance));
            if (optional && !Files.exists(p)) {
                continue;
            }
            env.putAll(readEnvironmentFile(p));
        }
        return env;
    }

    /** KEY=VALUE lines; # and ; comments; one level of "..." or '...' quotes removed. */
    static Map<String, String> readEnvironmentFile(Path p) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : Files.readAllLines(p)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            int eq = line.indexOf('=');
            env.put(line.substring(0, eq).strip(), unquote(line.substring(eq + 1).strip()));
        }
        return env;
    }

    private static final Pattern BRACED = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    /**
     * ExecStart= as the argument vector systemd would exec: specifiers replaced, ${VAR} replaced inside a word,
     * a word that is exactly $VAR split on whitespace into zero or more words.
     */
    List<String> execStart(String instance, Map<String, String> env) {
        String line = get("ExecStart");
        if (line == null) {
            throw new IllegalStateException(name + " has no ExecStart=");
        }
        List<String> argv = new ArrayList<>();
        for (String word : line.split("\\s+")) {
            word = specifiers(word, instance);
            if (word.matches("\\$[A-Za-z_][A-Za-z0-9_]*")) {
                String v = env.getOrDefault(word.substring(1), "").strip();
                if (!v.isEmpty()) {
                    argv.addAll(List.of(v.split("\\s+")));
                }
                continue;
            }
            Matcher m = BRACED.matcher(word);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(sb, Matcher.quoteReplacement(env.getOrDefault(m.group(1), "")));
            }
            m.appendTail(sb);
            argv.add(sb.toString());
        }
        return argv;
    }

    /** %i (the instance), %I (unescaped), %f (unescaped, as an absolute path), %%. */
    static String specifiers(String s, String instance) {
        String inst = instance == null ? "" : instance;
        String unescaped = unescape(inst);
        return s.replace("%%", "\u0000").replace("%i", inst).replace("%I", unescaped)
                .replace("%f", unescaped.startsWith("/") ? unescaped : "/" + unescaped).replace("\u0000", "%");
    }

    /** systemd-escape's inverse: "-" is "/", "\xNN" is that byte. */
    static String unescape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-') {
                sb.append('/');
            } else if (c == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
                sb.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }

    @Override
    public String toString() {
        return name;
    }
}
