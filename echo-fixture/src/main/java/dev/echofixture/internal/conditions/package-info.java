/**
 * Internal, not API: Network conditions: the pacer that turns a behaviour (latency, jitter, bandwidth, chunk size) into release times, its token bucket, and the outbound buffer with its watermarks.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only {@code internal.util}.
 */
package dev.echofixture.internal.conditions;
