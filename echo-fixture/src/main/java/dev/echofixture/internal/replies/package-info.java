/**
 * Internal, not API: scripted replies. The built-in framings ({@code Framers}) and one
 * connection's run of a {@code Script} ({@code ScriptRun}): it cuts received bytes into
 * messages and picks each one's reply; the server's connections send what it picks through the
 * same conditions as echoes.
 *
 * <p>The types here are public only because other packages of this module use them. The module
 * does not export this package; anything in it may change or go in any release, without notice.
 * Use the API in {@code dev.echofixture}. Dependencies between the internal packages run one
 * way (see {@code docs/DESIGN.md}); this one imports only {@code dev.echofixture.internal.util}.
 */
package dev.echofixture.internal.replies;
