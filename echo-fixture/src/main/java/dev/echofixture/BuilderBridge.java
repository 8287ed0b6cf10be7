package dev.echofixture;

import dev.echofixture.internal.server.BuilderAccess;
import dev.echofixture.internal.server.ServerConfig;

/** Reads an {@link EmbeddedEchoServer.Builder}'s settings for the internals; see {@link BuilderAccess}. */
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
}
