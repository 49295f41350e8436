package dev.grainfs.core.http;

import java.nio.charset.StandardCharsets;

/** One HTTP answer: status, content type and the whole body. */
public record HttpReply(int status, String contentType, byte[] body) {
    public static HttpReply json(Object value) {
        return new HttpReply(200, "application/json; charset=utf-8", Json.write(value).getBytes(StandardCharsets.UTF_8));
    }

    public static HttpReply html(byte[] page) {
        return new HttpReply(200, "text/html; charset=utf-8", page);
    }

    public static HttpReply text(int status, String text) {
        return new HttpReply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** An error as JSON: {@code {"error": "..."}}. */
    public static HttpReply error(int status, String message) {
        return new HttpReply(status, "application/json; charset=utf-8",
                Json.write(java.util.Map.of("error", message)).getBytes(StandardCharsets.UTF_8));
    }
}
