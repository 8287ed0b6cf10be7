/**
 * Internal, not API: The standalone endpoint's command line: options, usage, key store files and the connection log.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one may import every other internal package.
 */
package dev.echofixture.internal.cli;
