/**
 * Internal, not API: What the server records about its connections: the bounded capture of received bytes, the live {@code EchoConnection} view, the registry behind {@code connections()}, {@code stats()} and {@code awaitConnections}, and the waits and checks built on them.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports {@code internal.loop}, {@code internal.conditions} and {@code internal.util}.
 */
package dev.echofixture.internal.recording;
