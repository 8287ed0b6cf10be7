/**
 * Internal, not API: Small helpers at the ground: argument checks, durations and sizes as text, plurals, lazy loggers, socket options, failure episodes, and the {@code tcp://}, {@code udp://}, {@code tls://} and {@code unix:} URIs.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports no other internal package.
 */
package dev.echofixture.internal.util;
