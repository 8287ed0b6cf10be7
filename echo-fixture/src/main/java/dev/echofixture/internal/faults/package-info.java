/**
 * Internal, not API: Faults: the fault settings an {@code EchoBehavior} carries (UDP loss,
 * duplication and reordering; corruption, random data then close, slow close), the seeded dice
 * that decide them, and the per-connection state that applies them to a stream.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only {@code internal.util}.
 */
package dev.echofixture.internal.faults;
