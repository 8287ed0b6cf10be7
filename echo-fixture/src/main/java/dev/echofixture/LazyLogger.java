package dev.echofixture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class's SLF4J logger, looked up on first use instead of when the class is initialised.
 * SLF4J's first {@link LoggerFactory#getLogger} finds and starts the logging provider, which is
 * most of what the first {@code EmbeddedEchoServer.start()} in a fresh JVM would cost; the
 * start and close of a server log nothing, so they never pay it.
 *
 * <pre>{@code
 * private static final LazyLogger LOG = new LazyLogger(StreamAcceptor.class);
 * LOG.get().debug("{}: rejected a connection", name);
 * }</pre>
 *
 * <p>Thread-safe; two threads may both look the logger up once, and get the same logger.
 */
final class LazyLogger {

    private final Class<?> owner;
    private volatile Logger logger;

    LazyLogger(Class<?> owner) {
        this.owner = owner;
    }

    /** The logger named after the owner class. */
    Logger get() {
        Logger known = logger;
        if (known == null) {
            known = LoggerFactory.getLogger(owner);
            logger = known;
        }
        return known;
    }
}
