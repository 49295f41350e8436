package dev.grainfs.core.wire;

import dev.grainfs.core.GrainException;
import dev.grainfs.core.wire.proto.Request;
import dev.grainfs.core.wire.proto.Response;
import dev.grainfs.core.wire.proto.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One request being served: its header, its raw payload and the way back to the caller.
 * The payload belongs to the call and is released when the handler returns unless the handler
 * {@link ByteBuf#retain() retains} it to use later.
 */
public final class RpcCall {
    private final Channel channel;
    private final long requestId;
    private final Request request;
    private final ByteBuf payload;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final RpcObserver observer;
    private final long startNs;
    private final Runnable onAnswered;

    RpcCall(Channel channel, long requestId, Request request, ByteBuf payload) {
        this(channel, requestId, request, payload, RpcObserver.NONE);
    }

    RpcCall(Channel channel, long requestId, Request request, ByteBuf payload, RpcObserver observer) {
        this(channel, requestId, request, payload, observer, null);
    }

    /** {@code onAnswered} (may be null) runs once the answer is sent: the server's in-flight accounting. */
    RpcCall(Channel channel, long requestId, Request request, ByteBuf payload, RpcObserver observer,
            Runnable onAnswered) {
        this.channel = channel;
        this.requestId = requestId;
        this.request = request;
        this.payload = payload;
        this.observer = observer;
        this.onAnswered = onAnswered;
        this.startNs = observer == RpcObserver.NONE ? 0 : System.nanoTime();
    }

    public Request request() {
        return request;
    }

    public ByteBuf payload() {
        return payload;
    }

    public Channel channel() {
        return channel;
    }

    public String peer() {
        return String.valueOf(channel.remoteAddress());
    }

    public void reply(Response.Builder response) {
        reply(response, Unpooled.EMPTY_BUFFER);
    }

    /** Sends the answer; takes ownership of {@code data}. */
    public void reply(Response.Builder response, ByteBuf data) {
        if (!answered.compareAndSet(false, true)) {
            data.release();
            throw new IllegalStateException("request " + requestId + " answered twice");
        }
        Response r = response.build();
        send(channel, requestId, r, data);
        if (onAnswered != null) {
            onAnswered.run();
        }
        if (observer != RpcObserver.NONE) {
            observer.answered(request.getBodyCase(), r.getStatus(), System.nanoTime() - startNs);
        }
    }

    public void fail(StatusCode status, String message) {
        reply(Response.newBuilder().setStatus(status).setMessage(message));
    }

    public void fail(Throwable t) {
        GrainException g = GrainException.from(t);
        reply(Response.newBuilder().setStatus(g.status()).setMessage(String.valueOf(g.getMessage()))
                .setFailedServer(g.failedServer()));
    }

    static void send(Channel channel, long requestId, Response response, ByteBuf data) {
        ByteBuf header = Messages.encode(channel.alloc(), response);
        channel.writeAndFlush(new Frame(Frame.RESPONSE, requestId, header, data), channel.voidPromise());
    }
}
