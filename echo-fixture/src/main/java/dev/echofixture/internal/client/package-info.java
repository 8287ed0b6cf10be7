/**
 * Internal, not API: The asynchronous client's sessions (stream, TLS, datagram), their pending sends and the failures they report.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports tls and the packages below it; never {@code internal.server} or {@code internal.cli}.
 */
package dev.echofixture.internal.client;
