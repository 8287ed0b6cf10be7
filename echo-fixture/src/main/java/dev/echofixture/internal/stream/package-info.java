/**
 * Internal, not API: the stream I/O interface ({@code StreamIo}) that server connections and
 * client sessions read and write through, and its plain-socket implementation; the TLS one lives
 * in the TLS package.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only {@code dev.echofixture.internal.util}.
 */
package dev.echofixture.internal.stream;
