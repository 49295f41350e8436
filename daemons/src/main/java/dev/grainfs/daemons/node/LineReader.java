package dev.grainfs.daemons.node;

import java.io.IOException;
import java.io.Reader;

/**
 * Splits a character stream into lines ("\n" or "\r\n") without ever holding more than a bounded
 * line: a longer one is skipped to its end and comes back as {@link #TOO_LONG}, so a runaway
 * sender cannot exhaust the node's heap. Returns what it has as soon as a line ends (no read-ahead
 * wait), which keeps reply latency to the time of handling.
 */
final class LineReader {
    /** Returned (compare by identity) for a line longer than the limit. */
    static final String TOO_LONG = new String("<line too long>");

    private final Reader in;
    private final int maxChars;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int end;

    LineReader(Reader in, int maxChars) {
        this.in = in;
        this.maxChars = maxChars;
    }

    /** The next line without its terminator, TOO_LONG, or null at the end of the stream. */
    String next() throws IOException {
        StringBuilder sb = null;
        boolean overflow = false;
        while (true) {
            if (pos == end) {
                int n = in.read(buf);
                if (n < 0) {
                    // a last line without a newline still counts
                    return overflow ? TOO_LONG : sb == null ? null : strip(sb);
                }
                pos = 0;
                end = n;
            }
            int start = pos;
            while (pos < end && buf[pos] != '\n') {
                pos++;
            }
            boolean eol = pos < end;
            if (!overflow) {
                if (sb == null && eol) {
                    // the common case: the whole line is in the buffer
                    int n = pos - start;
                    pos++;
                    if (n > maxChars) {
                        return TOO_LONG;
                    }
                    String line = new String(buf, start, n);
                    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
                }
                if (sb == null) {
                    sb = new StringBuilder();
                }
                if (sb.length() + (pos - start) > maxChars) {
                    overflow = true;
                    sb = null;
                } else {
                    sb.append(buf, start, pos - start);
                }
            }
            if (eol) {
                pos++;
                return overflow ? TOO_LONG : strip(sb);
            }
        }
    }

    private static String strip(StringBuilder sb) {
        int n = sb.length();
        return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
    }
}
