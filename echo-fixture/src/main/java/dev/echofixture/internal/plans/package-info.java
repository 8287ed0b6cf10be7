/**
 * Internal, not API: Fault plans: the rules that pick a behaviour per connection (by accept
 * order or by a draw from the seed), the timed and byte-counted steps that change it during a
 * connection's life, and the per-connection state that applies them.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only {@code internal.util} and {@code internal.conditions}.
 */
package dev.echofixture.internal.plans;
