/**
 * echo-fixture: an in-process echo server and an asynchronous client for testing networking code.
 *
 * <p>Start a server with {@link dev.echofixture.EmbeddedEchoServer#start()} (or configure one with
 * {@link dev.echofixture.EmbeddedEchoServer#builder()}), connect with
 * {@link dev.echofixture.EchoClient}, shape the traffic with {@link dev.echofixture.EchoBehavior}
 * and read what peers sent through {@link dev.echofixture.EchoConnection}.
 *
 * <pre>{@code
 * try (EmbeddedEchoServer server = EmbeddedEchoServer.start();
 *      EchoClient client = server.newClient()) {
 *     String echoed = client.send("hello").get(5, TimeUnit.SECONDS);
 *     byte[] sent = server.connections().get(0).received();
 * }
 * }</pre>
 */
package dev.echofixture;
