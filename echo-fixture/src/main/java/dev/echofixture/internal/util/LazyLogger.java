package dev.echofixture.internal.util;

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
 * <p>The first look-up of all (the one that starts the provider) is made by one thread at a
 * time: while SLF4J starts its provider, a second thread's look-up would get a stand-in logger
 * whose calls SLF4J records and replays afterwards, printing a "replayed" warning to stderr
 * (a client connecting on the test's thread while the server's thread logs does that). The
 * others wait the few milliseconds the start takes instead.
 *
 * <p>Thread-safe; two threads may both look the logger up once, and get the same logger.
 */
public final class LazyLogger {

    private static final Object FIRST_LOOKUP = new Object();
    private static volatile boolean providerStarted;

    private final Class<?> owner;
    private volatile Logger logger;

    public LazyLogger(Class<?> owner) {
        this.owner = owner;
    }

    /** The logger named after the owner class. */
    public Logger get() {
        Logger known = logger;
        if (known == null) {
            known = lookUp(owner);
            logger = known;
        }
        return known;
    }

    private static Logger lookUp(Class<?> owner) {
        if (providerStarted) {
            return LoggerFactory.getLogger(owner);
        }
        synchronized (FIRST_LOOKUP) {
            Logger found = LoggerFactory.getLogger(owner);
            providerStarted = true;
            return found;
        }
    }
}
