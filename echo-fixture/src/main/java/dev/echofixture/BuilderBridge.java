package dev.echofixture;

import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.server.BuilderAccess;
import dev.echofixture.internal.server.ServerConfig;

/** Reaches {@link EmbeddedEchoServer}'s and its builder's package-private parts for the internals; see {@link BuilderAccess}. */
final class BuilderBridge implements BuilderAccess.Reader {

    static {
        BuilderAccess.install(new BuilderBridge());
    }

    private BuilderBridge() {
    }

    @Override
    public ServerConfig config(EmbeddedEchoServer.Builder builder) {
        return builder.config();
    }

    @Override
    public void retainClosedConnections(EmbeddedEchoServer server, int max) {
        server.retainClosedConnections(max);
    }

    @Override
    public void connectionListener(EmbeddedEchoServer server, ConnectionRegistry.Listener listener) {
        server.connectionListener(listener);
    }
}
