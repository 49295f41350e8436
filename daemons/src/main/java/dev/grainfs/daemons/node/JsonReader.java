package dev.grainfs.daemons.node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict RFC 8259 parser for one message line: objects become LinkedHashMap (key order kept),
 * arrays List, integers Long, other numbers Double, and null, true and false their Java values.
 *
 * Rejects (with error 12) what Python's json.loads would be lenient about or what could hurt the
 * node: NaN and Infinity, duplicate keys, integers beyond 64 bits, nesting deeper than 64, and
 * anything but whitespace after the value.
 */
final class JsonReader {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private int pos;

    private JsonReader(String s) {
        this.s = s;
    }

    /** Parses {@code text} as exactly one JSON value. */
    static Object parse(String text) throws NodeError {
        JsonReader r = new JsonReader(text);
        r.skipSpace();
        Object v = r.value(0);
        r.skipSpace();
        if (r.pos != text.length()) {
            throw r.fail("unexpected text after the JSON value");
        }
        return v;
    }

    private Object value(int depth) throws NodeError {
        if (depth > MAX_DEPTH) {
            throw fail("nested deeper than " + MAX_DEPTH);
        }
        if (pos >= s.length()) {
            throw fail("unexpected end of input");
        }
        char c = s.charAt(pos);
        switch (c) {
            case '{':
                return object(depth);
            case '[':
                return array(depth);
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw fail("unexpected character '" + c + "'");
        }
    }

    private Map<String, Object> object(int depth) throws NodeError {
        pos++; // '{'
        Map<String, Object> m = new LinkedHashMap<>();
        skipSpace();
        if (peek() == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') {
                throw fail("expected a string key");
            }
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            Object v = value(depth + 1);
            if (m.containsKey(key)) {
                throw fail("duplicate key \"" + key + "\"");
            }
            m.put(key, v);
            skipSpace();
            char c = peek();
            pos++;
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or '}'");
            }
        }
    }

    private List<Object> array(int depth) throws NodeError {
        pos++; // '['
        List<Object> list = new ArrayList<>();
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            char c = peek();
            pos++;
            if (c == ']') {
                return list;
            }
            if (c != ',') {
                pos--;
                throw fail("expected ',' or ']'");
            }
        }
    }

    private String string() throws NodeError {
        pos++; // opening quote
        StringBuilder sb = null;
        int start = pos;
        while (true) {
            if (pos >= s.length()) {
                throw fail("unterminated string");
            }
            char c = s.charAt(pos);
            if (c == '"') {
                String out = sb == null ? s.substring(start, pos) : sb.append(s, start, pos).toString();
                pos++;
                return out;
            }
            if (c < 0x20) {
                throw fail("control character in string");
            }
            if (c == '\\') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.append(s, start, pos);
                sb.append(escape());
                start = pos;
            } else {
                pos++;
            }
        }
    }

    /** Reads the escape at {@code pos} (a backslash) and returns the character it stands for. */
    private char escape() throws NodeError {
        if (pos + 1 >= s.length()) {
            throw fail("unterminated escape");
        }
        char e = s.charAt(pos + 1);
        pos += 2;
        switch (e) {
            case '"': return '"';
            case '\\': return '\\';
            case '/': return '/';
            case 'b': return '\b';
            case 'f': return '\f';
            case 'n': return '\n';
            case 'r': return '\r';
            case 't': return '\t';
            case 'u':
                if (pos + 4 > s.length()) {
                    throw fail("short \\u escape");
                }
                int v = 0;
                for (int i = 0; i < 4; i++) {
                    int d = Character.digit(s.charAt(pos + i), 16);
                    if (d < 0) {
                        throw fail("bad \\u escape");
                    }
                    v = v * 16 + d;
                }
                pos += 4;
                return (char) v;
            default:
                pos -= 2;
                throw fail("bad escape '\\" + e + "'");
        }
    }

    private Object number() throws NodeError {
        int start = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else if (isDigit(peek())) {
            digits();
        } else {
            throw fail("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!isDigit(peek())) {
                throw fail("bad number: digit expected after '.'");
            }
            digits();
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') {
                pos++;
            }
            if (!isDigit(peek())) {
                throw fail("bad number: digit expected in exponent");
            }
            digits();
        }
        String text = s.substring(start, pos);
        if (integral) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw fail("integer out of the 64-bit range");
            }
        }
        double d = Double.parseDouble(text);
        if (Double.isInfinite(d)) {
            throw fail("number out of range");
        }
        return d;
    }

    private void digits() {
        while (isDigit(peek())) {
            pos++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private Object literal(String word, Object v) throws NodeError {
        if (!s.startsWith(word, pos)) {
            throw fail("unknown literal");
        }
        pos += word.length();
        return v;
    }

    private void expect(char c) throws NodeError {
        if (peek() != c) {
            throw fail("expected '" + c + "'");
        }
        pos++;
    }

    /** The character at pos, or NUL at the end (NUL cannot appear raw in valid JSON text outside strings). */
    private char peek() {
        return pos < s.length() ? s.charAt(pos) : '\0';
    }

    private void skipSpace() {
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            pos++;
        }
    }

    private NodeError fail(String why) {
        return new NodeError(NodeError.MALFORMED, "malformed JSON at column %d: %s", pos + 1, why);
    }
}
