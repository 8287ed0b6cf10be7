/**
 * Internal, not API: Proxy mode: a connection forwarded to an upstream, with conditions per direction ({@code ProxyConnection}, its two {@code ProxyLeg}s, the checked {@code ProxyRoute}).
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only the recording, the loop, the conditions and the util packages.
 */
package dev.echofixture.internal.proxy;
