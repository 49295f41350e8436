package dev.grainfs.daemons.observe;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4: every line must be a HELP, a TYPE
 * or a sample of a declared family; names, label syntax, escapes and values are checked, histogram
 * buckets must be cumulative and end in le="+Inf" equal to _count. Throws on anything else.
 * Public for the mount's metrics test (fuse-mount uses this module's test-jar).
 */
public final class PromText {
    private static final Pattern METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
    private static final String[] SUFFIXES = {"_bucket", "_sum", "_count", "_total", "_created", "_info"};

    /** Series key ("name{a=\"x\",b=\"y\"}" with labels sorted) -> value; plus each family's type. */
    final Map<String, Double> samples = new LinkedHashMap<>();
    final Map<String, String> types = new HashMap<>();

    public static PromText parse(String text) {
        PromText p = new PromText();
        int n = 0;
        for (String line : text.split("\n", -1)) {
            n++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                p.line(line);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + n + ": " + e.getMessage() + ": " + line, e);
            }
        }
        p.checkHistograms();
        return p;
    }

    private void line(String line) {
        if (line.startsWith("# HELP ")) {
            String[] parts = line.substring(7).split(" ", 2);
            require(METRIC.matcher(parts[0]).matches(), "bad metric name in HELP");
            return;
        }
        if (line.startsWith("# TYPE ")) {
            String[] parts = line.substring(7).split(" ");
            require(parts.length == 2 && METRIC.matcher(parts[0]).matches(), "bad TYPE line");
            require(parts[1].matches("counter|gauge|histogram|summary|untyped"), "unknown type " + parts[1]);
            require(types.put(parts[0], parts[1]) == null, "family declared twice");
            return;
        }
        require(!line.startsWith("#"), "unknown comment");
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        require(METRIC.matcher(name).matches(), "bad metric name");
        require(family(name) != null, "sample of an undeclared family");
        TreeMap<String, String> labels = new TreeMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int eq = line.indexOf('=', i);
                String ln = line.substring(i, eq);
                require(LABEL.matcher(ln).matches(), "bad label name " + ln);
                require(line.charAt(eq + 1) == '"', "label value must be quoted");
                StringBuilder v = new StringBuilder();
                int j = eq + 2;
                for (; line.charAt(j) != '"'; j++) {
                    char c = line.charAt(j);
                    if (c == '\\') {
                        char e = line.charAt(++j);
                        require(e == '\\' || e == '"' || e == 'n', "bad escape");
                        v.append(e == 'n' ? '\n' : e);
                    } else {
                        v.append(c);
                    }
                }
                require(labels.put(ln, v.toString()) == null, "label twice");
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        require(line.charAt(i) == ' ', "no space before the value");
        String[] rest = line.substring(i + 1).split(" ");
        require(rest.length == 1 || rest.length == 2, "junk after the value");
        double value = value(rest[0]);
        if (rest.length == 2) {
            Long.parseLong(rest[1]);
        }
        String key = key(name, labels);
        require(samples.put(key, value) == null, "duplicate series");
    }

    private String family(String name) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String s : SUFFIXES) {
            if (name.endsWith(s) && types.containsKey(name.substring(0, name.length() - s.length()))) {
                return name.substring(0, name.length() - s.length());
            }
        }
        return null;
    }

    private void checkHistograms() {
        for (Map.Entry<String, String> t : types.entrySet()) {
            if (!t.getValue().equals("histogram")) {
                continue;
            }
            // group buckets by their labels without le
            Map<String, double[]> last = new HashMap<>();
            for (Map.Entry<String, Double> s : samples.entrySet()) {
                if (!s.getKey().startsWith(t.getKey() + "_bucket")) {
                    continue;
                }
                String series = s.getKey().replaceAll("le=\"[^\"]*\",?", "").replace(",}", "}").replace("{}", "");
                double[] prev = last.computeIfAbsent(series, k -> new double[] {0});
                require(s.getValue() >= prev[0], "buckets of " + series + " are not cumulative");
                prev[0] = s.getValue();
                if (s.getKey().contains("le=\"+Inf\"")) {
                    String count = series.replaceFirst("_bucket", "_count");
                    require(s.getValue().equals(samples.get(count)), "+Inf bucket != _count for " + series);
                }
            }
        }
    }

    static String key(String name, Map<String, String> sortedLabels) {
        if (sortedLabels.isEmpty()) {
            return name;
        }
        StringBuilder sb = new StringBuilder(name).append('{');
        sortedLabels.forEach((k, v) -> sb.append(k).append("=\"").append(v).append("\","));
        sb.setLength(sb.length() - 1);
        return sb.append('}').toString();
    }

    private static double value(String s) {
        return switch (s) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            case "NaN" -> Double.NaN;
            default -> Double.parseDouble(s);
        };
    }

    /** The value of one series ("name" or "name{a=\"x\"}", labels sorted), 0 when absent. */
    public double get(String series) {
        return samples.getOrDefault(series, 0.0);
    }

    /** Sum of every series of {@code name} whose labels include all of {@code labels} ("k=\"v\"" items). */
    public double sum(String name, String... labels) {
        double total = 0;
        for (Map.Entry<String, Double> s : samples.entrySet()) {
            String k = s.getKey();
            if (!(k.equals(name) || k.startsWith(name + "{"))) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= k.contains(l);
            }
            if (all) {
                total += s.getValue();
            }
        }
        return total;
    }

    /** A family of this name was declared (with a TYPE line). */
    public boolean hasFamily(String name) {
        return types.containsKey(name);
    }

    public boolean hasFamilyStartingWith(String prefix) {
        return types.keySet().stream().anyMatch(t -> t.startsWith(prefix));
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            throw new IllegalArgumentException(why);
        }
    }
}
