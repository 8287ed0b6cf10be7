package dev.echofixture.junit;

import dev.echofixture.Transport;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a test a running {@link dev.echofixture.EmbeddedEchoServer}.
 *
 * <p>TODO(extension): the full manual.
 *
 * @since 0.1.0
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EchoServerExtension.class)
public @interface EchoServer {

    /**
     * The transport.
     *
     * @return TCP (default), UDP or UNIX
     */
    Transport transport() default Transport.TCP;

    /**
     * The host to bind.
     *
     * @return the host; default the loopback address
     */
    String host() default "127.0.0.1";

    /**
     * The port to bind.
     *
     * @return the port; default 0, an ephemeral port
     */
    int port() default 0;

    /**
     * Latency of each echoed chunk, in milliseconds.
     *
     * @return the latency; default 0
     */
    long latencyMillis() default 0;

    /**
     * Extra random delay of each chunk, 0 to this many milliseconds.
     *
     * @return the jitter; default 0
     */
    long jitterMillis() default 0;

    /**
     * The seed for jitter.
     *
     * @return the seed; 0 (default) for a random seed, shown in the failure report
     */
    long seed() default 0;

    /**
     * Echo rate limit in bytes per second per connection.
     *
     * @return the bandwidth; 0 (default) for unlimited
     */
    long bandwidth() default 0;

    /**
     * Largest single write of the echo.
     *
     * @return the chunk size; 0 (default) for unlimited
     */
    int chunkSize() default 0;

    /**
     * Bytes echoed before a graceful close.
     *
     * @return the byte count; -1 (default) for never
     */
    long closeAfter() default -1;

    /**
     * Bytes echoed at most before a reset.
     *
     * @return the byte count; -1 (default) for never
     */
    long resetAfter() default -1;

    /**
     * Whether to read and record but echo nothing.
     *
     * @return {@code true} for silence; default {@code false}
     */
    boolean silent() default false;

    /**
     * How many connections may be open at once.
     *
     * @return the limit; default 1024
     */
    int maxConnections() default 1024;

    /**
     * Bytes recorded per connection.
     *
     * @return the limit; default 65536
     */
    int recordLimit() default 65536;

    /**
     * Whether a connection left open after a test, not opened by an injected client, fails it.
     *
     * @return {@code true} to fail; default {@code false}
     */
    boolean failOnOpenConnections() default false;
}
