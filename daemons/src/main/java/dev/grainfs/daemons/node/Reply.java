package dev.grainfs.daemons.node;

import java.util.LinkedHashMap;
import java.util.Map;

/** A reply's type and payload fields, kept in the order the protocol lists them. */
final class Reply {
    private final String type;
    private final Map<String, Object> fields = new LinkedHashMap<>();

    private Reply(String type) {
        this.type = type;
    }

    static Reply of(String type) {
        return new Reply(type);
    }

    static Reply error(NodeError e) {
        return new Reply("error").put("code", e.code()).put("text", e.getMessage());
    }

    Reply put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    /** Puts a list field only when it has elements (the heartbeat's optional lists). */
    Reply putIfNotEmpty(String key, java.util.Collection<?> value) {
        if (!value.isEmpty()) {
            fields.put(key, value);
        }
        return this;
    }

    String type() {
        return type;
    }

    /** An error reply's text (null for other replies). */
    String errorText() {
        return (String) fields.get("text");
    }

    /** The reply as one line: {"src", "dest", "body": {"type", "in_reply_to", fields..., "msg_id"}}. */
    String toLine(String src, String dest, Long inReplyTo, long msgId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("in_reply_to", inReplyTo);
        body.putAll(fields);
        body.put("msg_id", msgId);
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("src", src);
        envelope.put("dest", dest);
        envelope.put("body", body);
        return JsonWriter.write(envelope);
    }
}
