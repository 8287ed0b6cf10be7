/**
 * Internal, not API: The server's transports: the stream side (acceptor and connections, TCP, UNIX and TLS) and the datagram side (handler, peers, sender), their settings and shared context.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports tls and the packages below it; never {@code internal.client} or {@code internal.cli}.
 */
package dev.echofixture.internal.server;
