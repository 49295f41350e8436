package dev.grainfs.daemons.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader and writer against what Python's json module does, and the line splitter. */
class NodeJsonTest {
    @Test
    void writesWhatJsonDumpsWrites() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", "x\u007f\u001f\t\n\r\b\f\"\\/\u00e9\uD83D\uDE00");
        m.put("n", null);
        m.put("f", new BigDecimal("85.00"));
        m.put("g", new BigDecimal("51.67"));
        m.put("l", List.of());
        m.put("d", Map.of());
        m.put("b", true);
        // python3 -c 'import json; print(json.dumps({"a": "x\x7f\x1f\t\n\r\b\f\"\\/é😀", "n": None, "f": 85.0, ...}))'
        assertEquals("{\"a\": \"x\\u007f\\u001f\\t\\n\\r\\b\\f\\\"\\\\/\\u00e9\\ud83d\\ude00\", \"n\": null, "
                + "\"f\": 85.0, \"g\": 51.67, \"l\": [], \"d\": {}, \"b\": true}", JsonWriter.write(m));
    }

    @Test
    void readsStrictJson() throws NodeError {
        Object v = JsonReader.parse(" {\"a\": [1, -2, 3.5, 1e2, true, false, null, \"\\u00e9\\n\\/\"], \"b\": {}} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(Arrays.asList(1L, -2L, 3.5, 100.0, true, false, null, "\u00e9\n/"), m.get("a"));
        assertEquals(Map.of(), m.get("b"));
        assertEquals(Long.MAX_VALUE, JsonReader.parse("9223372036854775807"));
    }

    @Test
    void rejectsWhatIsNotStrictJson() {
        for (String bad : List.of("", "{", "{\"a\" 1}", "{\"a\": 1,}", "[1,]", "01", "1.", "-", ".5", "NaN",
                "Infinity", "{\"a\": 1, \"a\": 2}", "\"tab\there\"", "\"\\x\"", "\"\\u12\"", "tru", "[1] 2",
                "9223372036854775808", "1e999", "{'a': 1}", "[".repeat(100) + "]".repeat(100))) {
            NodeError e = assertThrows(NodeError.class, () -> JsonReader.parse(bad), bad);
            assertEquals(NodeError.MALFORMED, e.code(), bad);
        }
    }

    @Test
    void splitsLinesAndSkipsOverlongOnes() throws IOException {
        String input = "one\r\ntwo\n" + "x".repeat(50) + "\nthree\nlast-without-newline";
        LineReader r = new LineReader(new StringReader(input), 20);
        List<String> lines = new ArrayList<>();
        for (String l = r.next(); l != null; l = r.next()) {
            lines.add(l == LineReader.TOO_LONG ? "<too long>" : l);
        }
        assertEquals(List.of("one", "two", "<too long>", "three", "last-without-newline"), lines);
    }
}
