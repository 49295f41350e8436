package dev.grainfs.core.wire;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.grainfs.core.GrainException;
import dev.grainfs.core.id.HostPort;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection to one peer: many requests in flight, matched to answers by request id,
 * each with its own timeout. When the channel dies every pending call fails with EIO.
 *
 * <p>Timeouts are enforced by one sweep per connection every {@link #SWEEP_MS} rather than a timer
 * per call: scheduling a timer from the caller's thread is a second hand-off to the event loop on
 * every call, which costs about as much as the write itself on a metadata-heavy client.
 */
final class Connection extends SimpleChannelInboundHandler<Frame> {
    private final HostPort peer;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private volatile Channel channel;
    private volatile GrainException closeCause; // why the channel was closed, when we know better than "lost"

    /** How often calls past their deadline are failed; a timeout fires at most this late. */
    static final long SWEEP_MS = 50;

    private record Pending(CompletableFuture<Reply> future, long deadlineNanos, long timeoutMs, Request.BodyCase what) {
    }

    Connection(HostPort peer) {
        super(false);
        this.peer = peer;
    }

    void attach(Channel ch) {
        this.channel = ch;
        ScheduledFuture<?> sweep = ch.eventLoop().scheduleWithFixedDelay(this::expire, SWEEP_MS, SWEEP_MS,
                TimeUnit.MILLISECONDS);
        ch.closeFuture().addListener(c -> sweep.cancel(false));
    }

    /** Fails the calls whose deadline has passed (event loop, every {@link #SWEEP_MS}). */
    private void expire() {
        if (pending.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            Pending p = e.getValue();
            if (now - p.deadlineNanos >= 0 && pending.remove(e.getKey(), p)) {
                p.future.completeExceptionally(new GrainException(StatusCode.ETIMEDOUT,
                        p.what.name().toLowerCase() + " to " + peer + " timed out after " + p.timeoutMs + " ms",
                        peer.toString()));
            }
        }
    }

    boolean isActive() {
        Channel ch = channel;
        return ch != null && ch.isActive();
    }

    Channel channel() {
        return channel;
    }

    CompletableFuture<Reply> call(Request request, ByteBuf payload, long timeoutMs) {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null || !ch.isActive()) {
            payload.release();
            GrainException cause = closeCause;
            f.completeExceptionally(cause != null ? cause
                    : new GrainException(StatusCode.EIO, "not connected to " + peer, peer.toString()));
            return f;
        }
        long id = ids.incrementAndGet();
        pending.put(id, new Pending(f, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs), timeoutMs,
                request.getBodyCase()));
        ByteBuf header = Messages.encode(ch.alloc(), request);
        ch.writeAndFlush(new Frame(Frame.REQUEST, id, header, payload)).addListener(w -> {
            if (!w.isSuccess()) {
                fail(id, "cannot send to " + peer + ": " + w.cause());
            }
        });
        return f;
    }

    private void fail(long id, String why) {
        GrainException cause = closeCause;
        Pending p = pending.remove(id);
        if (p != null) {
            p.future.completeExceptionally(cause != null ? cause : new GrainException(StatusCode.EIO, why, peer.toString()));
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame f) {
        Pending p = pending.remove(f.requestId());
        if (p == null || f.kind() != Frame.RESPONSE) {
            f.release(); // late answer to a call that already timed out
            return;
        }
        Response r;
        try {
            r = Messages.parseResponse(f.header());
        } catch (InvalidProtocolBufferException e) {
            f.release();
            p.future.completeExceptionally(new GrainException(StatusCode.EIO, "malformed answer from " + peer, peer.toString()));
            return;
        }
        f.header().release();
        if (r.getStatus() != StatusCode.OK) {
            f.payload().release();
            String failed = r.getFailedServer().isEmpty() ? "" : r.getFailedServer();
            p.future.completeExceptionally(new GrainException(r.getStatus(), r.getMessage(), failed));
            return;
        }
        if (!p.future.complete(new Reply(r, f.payload()))) {
            f.payload().release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Long id : pending.keySet()) {
            fail(id, "connection to " + peer + " lost");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof GrainException g) {
            closeCause = g;
        }
        ctx.close();
    }
}
