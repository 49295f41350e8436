package dev.grainfs.daemons.node;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * Writes values exactly as Python's {@code json.dumps} does with its defaults: separators ", " and
 * ": ", keys in insertion order, ensure_ascii (every character outside space..'~' as a lowercase
 * {@code \\uXXXX} escape, except the two-letter escapes), None as null, and floats in repr form.
 *
 * Accepted values: null, String, Boolean, Integer, Long, BigDecimal (written as a Python float:
 * {@code 85.0}, {@code 51.67}), List and Map with String keys.
 */
final class JsonWriter {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonWriter() {
    }

    static String write(Object v) {
        StringBuilder sb = new StringBuilder(128);
        write(sb, v);
        return sb.toString();
    }

    static void write(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String str) {
            string(sb, str);
        } else if (v instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (v instanceof Long || v instanceof Integer) {
            sb.append(v);
        } else if (v instanceof BigDecimal d) {
            sb.append(pythonFloat(d));
        } else if (v instanceof List<?> list) {
            sb.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                write(sb, list.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, (String) e.getKey());
                sb.append(": ");
                write(sb, e.getValue());
            }
            sb.append('}');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + v.getClass().getName());
        }
    }

    /** A decimal as Python's repr of the float it stands for: at least one digit after the point. */
    static String pythonFloat(BigDecimal d) {
        String plain = d.stripTrailingZeros().toPlainString();
        return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c >= ' ' && c <= '~') {
                        sb.append(c);
                    } else {
                        sb.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    }
                }
            }
        }
        sb.append('"');
    }
}
