package dev.grainfs.daemons.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of a parsed JSON object's fields. A missing field or one of the wrong type is a
 * malformed request (error 12), named in the error text.
 */
final class Fields {
    private final Map<String, Object> map;
    private final String where;

    /** {@code where} names the object in error texts ("body", "moves[2]"). */
    Fields(Map<String, Object> map, String where) {
        this.map = map;
        this.where = where;
    }

    boolean has(String key) {
        return map.get(key) != null;
    }

    String string(String key) throws NodeError {
        if (get(key) instanceof String s) {
            return s;
        }
        throw wrongType(key, "a string");
    }

    long integer(String key) throws NodeError {
        if (get(key) instanceof Long l) {
            return l;
        }
        throw wrongType(key, "an integer");
    }

    /** An integer field that may be absent (or null), with its default. */
    long integer(String key, long dflt) throws NodeError {
        return has(key) ? integer(key) : dflt;
    }

    long integer(String key, long min, long max) throws NodeError {
        return range(key, integer(key), min, max);
    }

    long range(String key, long v, long min, long max) throws NodeError {
        if (v < min || v > max) {
            throw new NodeError(NodeError.MALFORMED, "%s.%s must be between %d and %d, got %d",
                    where, key, min, max, v);
        }
        return v;
    }

    /** Any JSON number, as a double. */
    double number(String key) throws NodeError {
        Object v = get(key);
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Double d) {
            return d;
        }
        throw wrongType(key, "a number");
    }

    List<Object> array(String key) throws NodeError {
        if (get(key) instanceof List<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            return list;
        }
        throw wrongType(key, "an array");
    }

    List<String> strings(String key) throws NodeError {
        List<String> out = new ArrayList<>();
        for (Object o : array(key)) {
            if (!(o instanceof String s)) {
                throw wrongType(key, "an array of strings");
            }
            out.add(s);
        }
        return out;
    }

    List<Long> integers(String key) throws NodeError {
        List<Long> out = new ArrayList<>();
        for (Object o : array(key)) {
            if (!(o instanceof Long l)) {
                throw wrongType(key, "an array of integers");
            }
            out.add(l);
        }
        return out;
    }

    /** The elements of an array of objects, each wrapped for typed reads. */
    List<Fields> objects(String key) throws NodeError {
        List<Fields> out = new ArrayList<>();
        List<Object> list = array(key);
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof Map<?, ?> m)) {
                throw wrongType(key, "an array of objects");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> obj = (Map<String, Object>) m;
            out.add(new Fields(obj, key + "[" + i + "]"));
        }
        return out;
    }

    private Object get(String key) throws NodeError {
        Object v = map.get(key);
        if (v == null) {
            throw new NodeError(NodeError.MALFORMED, "%s has no field '%s'", where, key);
        }
        return v;
    }

    private NodeError wrongType(String key, String what) {
        return new NodeError(NodeError.MALFORMED, "%s.%s must be %s", where, key, what);
    }
}
