/**
 * Realistic networking code tested with echo-fixture: the kind of client code whose edge cases
 * (responses in pieces, slow servers, resets, frames split across reads) an echo server with
 * network conditions makes easy to test.
 *
 * <ul>
 *   <li>{@link dev.echofixture.samples.LineClient}: a newline-delimited request/response client
 *       with a read time-out and one retry on a reset.</li>
 *   <li>{@link dev.echofixture.samples.FrameReader}: length-prefixed frames over a channel,
 *       across partial reads.</li>
 *   <li>{@link dev.echofixture.samples.UdpPinger}: numbered UDP pings with a per-ping time-out,
 *       loss and round-trip times, late replies never misattributed.</li>
 *   <li>{@link dev.echofixture.samples.BackoffClient}: a request with retries, exponential
 *       backoff with full jitter, and a connect time-out, tested against fault plans.</li>
 * </ul>
 *
 * <p>Their tests show how: a server per test, a behaviour per scenario
 * ({@code chunkSize(1)}, {@code latency}, {@code silent()}, {@code closeAfter}, {@code resetAfter},
 * {@code reset()}).
 */
package dev.echofixture.samples;
