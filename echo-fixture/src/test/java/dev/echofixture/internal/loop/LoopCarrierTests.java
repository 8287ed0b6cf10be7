package dev.echofixture.internal.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.Await;
import dev.echofixture.EchoClient;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.RawPeer;
import dev.echofixture.Transport;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Servers run on pooled loop threads ({@link LoopCarrier}): what {@code close()} promises with a
 * pooled thread (the port is free, the thread no longer serves the server), the reuse of an
 * idle thread, the end of an idle one, and a close that comes before the pooled thread has even
 * picked the server up.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopCarrierTests {

    private static Thread loopThread(int port) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().equals("echo-fixture-loop-" + port))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no thread echo-fixture-loop-" + port));
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Test
    void closeFreesThePortAndTheThreadStopsServingTheServer() throws Exception {
        EmbeddedEchoServer server = EmbeddedEchoServer.start();
        int port = server.port();
        Thread thread = loopThread(port);
        try (RawPeer peer = RawPeer.connect(server)) {
            peer.write("pooled".getBytes(StandardCharsets.UTF_8));
            assertEquals("pooled", new String(peer.readExactly(6), StandardCharsets.UTF_8));
            server.close();
        }
        assertTrue(bindable(port), "port " + port + " free once close() returned");
        String name = thread.getName();
        assertFalse(name.equals("echo-fixture-loop-" + port), "the thread no longer carries the server's name");
        assertTrue(!thread.isAlive() || name.startsWith(LoopCarrier.IDLE_NAME_PREFIX)
                        || name.startsWith("echo-fixture-loop-"),
                "back in the pool, serving another server, or ended: " + name);
        assertTrue(thread.isDaemon());
    }

    @Test
    void theNextServerTakesAnIdleThreadInsteadOfStartingOne() throws Exception {
        Thread first;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            first = loopThread(server.port());
        }
        // other test classes may run at the same time and take the idle thread first: try a few times
        boolean reused = false;
        for (int i = 0; i < 20 && !reused; i++) {
            try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
                reused = loopThread(server.port()) == first;
            }
        }
        assertTrue(reused, "a closed server's thread serves a later server");
    }

    @Test
    void anIdleThreadEndsAfterItsIdleTime() {
        Thread thread;
        try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
            thread = loopThread(server.port());
        }
        // it ends unless another server took it meanwhile (other tests may run at the same time)
        Await.until(Duration.ofSeconds(LoopCarrier.IDLE_SECONDS * 5L),
                () -> !thread.isAlive() || thread.getName().startsWith("echo-fixture-loop-"),
                () -> thread.getName() + " still alive and idle after " + LoopCarrier.IDLE_SECONDS * 5 + " s");
    }

    @ParameterizedTest
    @EnumSource(Transport.class)
    void closeRightAfterStartFreesTheAddressEveryTime(Transport transport) throws Exception {
        for (int i = 0; i < 200; i++) {
            EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start();
            server.close(); // often before the pooled thread has picked the server up: then close() shuts it down itself
            if (transport == Transport.TCP) {
                assertTrue(bindable(server.port()), "port " + server.port() + " free after cycle " + i);
            } else if (transport == Transport.UNIX) {
                java.nio.file.Path file = ((java.net.UnixDomainSocketAddress) server.socketAddress()).getPath();
                assertFalse(java.nio.file.Files.exists(file), "socket file deleted after cycle " + i);
            }
            assertFalse(server.isRunning());
        }
        try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(transport).start();
             EchoClient client = server.newClient()) {
            assertEquals("still serving", client.send("still serving").get(20, TimeUnit.SECONDS));
        }
    }
}
