/**
 * Internal, not API: TLS: the server's certificate and context set-up, the {@code SSLEngine} wrapper both sides use, and the server connection's TLS link.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports the packages below it: recording, loop, conditions, util.
 */
package dev.echofixture.internal.tls;
