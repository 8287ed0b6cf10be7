package dev.echofixture.internal.server;

import dev.echofixture.EchoBehavior;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.proxy.ProxyConnection;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.util.function.Supplier;

/** Opens each accepted connection of a proxy server as a {@link ProxyConnection}. */
final class ProxyOpener implements StreamAcceptor.Opener {

    static final ProxyOpener INSTANCE = new ProxyOpener();

    private ProxyOpener() {
    }

    @Override
    public void open(ServerContext context, EventLoop loop, SocketChannel channel) throws IOException {
        Supplier<EchoBehavior> answers = context::behavior;
        ProxyConnection.open(context.registry(), context.proxy(), answers, context.config().seed(), loop, channel);
    }
}
