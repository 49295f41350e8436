package dev.grainfs.core.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.security.WireSecurity;
import dev.grainfs.core.wire.proto.Empty;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatRequest;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * What one client may take of an RpcServer: connections per address and in total (refused with
 * a logged reason, released on close), and unanswered requests before its connection is no
 * longer read. Raw sockets from several loopback addresses (127.0.0.x) stand for several hosts.
 */
class ConnectionLimitsTest {
    static RpcServer server(ConnectionLimits limits, RpcHandler h) {
        return new RpcServer("limited", h, 1, WireSecurity.NONE.withLimits(limits));
    }

    static void answer(RpcCall c) {
        c.reply(Response.newBuilder().setEmpty(Empty.getDefaultInstance()));
    }

    static Socket connect(HostPort to, String from) throws IOException {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress(to.host(), to.port()), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    static byte[] frame(long id, int payload) {
        byte[] header = Request.newBuilder().setStat(StatRequest.newBuilder().setPath("/")).build().toByteArray();
        ByteBuffer b = ByteBuffer.allocate(Frame.PREFIX_BYTES + header.length + payload);
        b.putShort(Frame.MAGIC).put(Frame.VERSION).put(Frame.REQUEST).putLong(id).putInt(header.length).putInt(payload)
                .put(header);
        return b.array();
    }

    /** Sends a request and reads its whole answer frame; false when the server hung up instead. */
    static boolean served(Socket s) throws IOException {
        s.getOutputStream().write(frame(1, 0));
        try {
            readAnswer(new DataInputStream(s.getInputStream()));
            return true;
        } catch (EOFException | java.net.SocketException closed) {
            return false;
        }
    }

    static void readAnswer(DataInputStream in) throws IOException {
        byte[] prefix = new byte[Frame.PREFIX_BYTES];
        in.readFully(prefix);
        ByteBuffer p = ByteBuffer.wrap(prefix);
        in.readFully(new byte[p.getInt(12) + p.getInt(16)]);
    }

    static void await(String what, BooleanSupplier ok) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!ok.getAsBoolean()) {
            assertTrue(System.currentTimeMillis() < deadline, "timed out waiting for " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void connectionsBeyondThePerClientAndTotalLimitsAreRefusedAndLogged() throws Exception {
        Logger gateLog = (Logger) LoggerFactory.getLogger(PeerGate.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        gateLog.addAppender(logged);
        ConnectionLimits limits = ConnectionLimits.defaults().withMaxPerPeer(2).withMaxTotal(3);
        List<Socket> open = new ArrayList<>();
        try (RpcServer server = server(limits, ConnectionLimitsTest::answer)) {
            HostPort a = server.start("127.0.0.1", 0);
            for (int i = 0; i < 2; i++) {
                open.add(connect(a, "127.0.0.1"));
                assertTrue(served(open.get(i)));
            }
            try (Socket third = connect(a, "127.0.0.1")) {
                assertTrue(!served(third), "a third connection from one address is refused");
            }
            open.add(connect(a, "127.0.0.2"));
            assertTrue(served(open.get(2)), "another address still gets in");
            try (Socket fourth = connect(a, "127.0.0.3")) {
                assertTrue(!served(fourth), "over the total limit");
            }
            assertEquals(2, server.refusedConnections());
            open.remove(0).close();
            await("the closed connection released", () -> {
                try (Socket again = connect(a, "127.0.0.1")) {
                    return served(again);
                } catch (IOException e) {
                    return false;
                }
            });
            String line = logged.list.get(0).getFormattedMessage();
            assertTrue(line.contains("refused connection from 127.0.0.1") && line.contains("per-client limit"), line);
        } finally {
            gateLog.detachAppender(logged);
            for (Socket s : open) {
                s.close();
            }
        }
    }

    @Test
    void aClientWithTooManyUnansweredRequestsIsNotReadUntilTheyAreAnswered() throws Exception {
        int limit = 8;
        int sent = 100;
        Queue<RpcCall> held = new ConcurrentLinkedQueue<>();
        AtomicInteger received = new AtomicInteger();
        AtomicBoolean answering = new AtomicBoolean();
        RpcHandler holder = call -> {
            received.incrementAndGet();
            if (answering.get()) {
                answer(call);
            } else {
                held.add(call);
            }
        };
        try (RpcServer server = server(ConnectionLimits.defaults().withMaxPeerRequests(limit), holder);
             Socket s = connect(server.start("127.0.0.1", 0), "127.0.0.1")) {
            Thread writer = new Thread(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int i = 0; i < sent; i++) {
                        out.write(frame(i, 256 << 10));
                    }
                } catch (IOException ignored) {
                    // the test fails on the count below
                }
            });
            writer.setDaemon(true);
            writer.start();
            await("the first requests", () -> received.get() >= limit);
            Thread.sleep(1_000); // unlimited, all 25 MiB would be read meanwhile
            int stalled = received.get();
            assertTrue(stalled < sent / 2, "read " + stalled + " requests with " + limit + " allowed unanswered");
            answering.set(true);
            Thread drainer = new Thread(() -> { // also what was held between the switch and the first poll
                while (!Thread.currentThread().isInterrupted()) {
                    RpcCall c = held.poll();
                    if (c != null) {
                        answer(c);
                    } else {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            });
            drainer.setDaemon(true);
            drainer.start();
            DataInputStream in = new DataInputStream(s.getInputStream());
            try {
                for (int i = 0; i < sent; i++) {
                    readAnswer(in);
                }
            } finally {
                drainer.interrupt();
            }
            assertEquals(sent, received.get());
            System.out.printf("in-flight limit %d: %d of %d requests read before the first answers%n", limit, stalled,
                    sent);
        }
    }
}
