package dev.grainfs.daemons.observe;

import dev.grainfs.core.id.HostPort;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs against a daemon's status server, for tests. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> get(HostPort at, String pathAndQuery) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://" + at + pathAndQuery))
                .timeout(Duration.ofSeconds(20)).GET().build();
        return CLIENT.send(r, HttpResponse.BodyHandlers.ofString());
    }

    static String body(HostPort at, String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(at, pathAndQuery);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + pathAndQuery + ": HTTP " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }
}
