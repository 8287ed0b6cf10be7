package dev.echofixture.internal.proxy;

import dev.echofixture.EchoBehavior;
import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * Where and how a proxy server forwards, checked: the upstream (asked for per connection), the
 * behaviour of the client-to-upstream direction, what a failed connect does to the client, and
 * how long a connect may take.
 *
 * @param upstream               gives the upstream's address when a connection arrives
 * @param description            the upstream as the user named it, for logs and messages
 * @param upstreamBehavior       the conditions on the way to the upstream
 * @param resetOnConnectFailure  reset the client's connection (else close it) when the upstream cannot be reached
 * @param connectTimeoutNanos    how long a connect may take
 */
public record ProxyRoute(Supplier<? extends SocketAddress> upstream, String description, EchoBehavior upstreamBehavior,
                         boolean resetOnConnectFailure, long connectTimeoutNanos) {
}
