/**
 * Internal, not API: The event loop: one selector thread that owns every key and connection state, its deadline queue, and the carrier pool that lets a closed loop's thread serve the next one.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only {@code internal.util}.
 */
package dev.echofixture.internal.loop;
