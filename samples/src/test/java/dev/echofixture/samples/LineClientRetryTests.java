package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import dev.echofixture.EchoConnection;
import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.junit.EchoServer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link LineClient}'s retry, seen from its {@link LineClient.RetryListener}: the echo server
 * breaks the connection, a Mockito mock checks what the code under test told its listener.
 * (Mockito's subclass mock maker is configured in {@code src/test/resources/mockito-extensions}:
 * it mocks interfaces without attaching an agent, which takes seconds on a loaded machine.)
 */
@EchoServer
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LineClientRetryTests {

    @Test
    void tellsTheListenerAboutTheRetryAfterAReset(EmbeddedEchoServer server) throws IOException {
        LineClient.RetryListener listener = mock(LineClient.RetryListener.class);
        try (LineClient client = new LineClient(server.address(), Duration.ofSeconds(5)).onRetry(listener)) {
            assertEquals("first", client.request("first"));
            EchoConnection first = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
            first.reset();                                   // the next request meets a reset connection
            waitUntilClosed(first);
            assertEquals("second", client.request("second"));
        }
        verify(listener).retrying(eq("second"), any(IOException.class));
        verifyNoMoreInteractions(listener);
        server.awaitConnections(2, Duration.ofSeconds(10)).get(1).awaitReceived("second\n", Duration.ofSeconds(10));
    }

    @Test
    @EchoServer(resetAfter = 0)
    void tellsTheListenerOnceWhenTheRetryFailsToo(EmbeddedEchoServer server) {
        LineClient.RetryListener listener = mock(LineClient.RetryListener.class);
        try (LineClient client = new LineClient(server.address(), Duration.ofSeconds(5)).onRetry(listener)) {
            assertThrows(IOException.class, () -> client.request("doomed"));
        }
        verify(listener, times(1)).retrying(eq("doomed"), any(IOException.class));
        verifyNoMoreInteractions(listener);
    }

    @Test
    void leavesTheListenerAloneWhenNothingFails(EmbeddedEchoServer server) throws IOException {
        LineClient.RetryListener listener = mock(LineClient.RetryListener.class);
        try (LineClient client = new LineClient(server.address(), Duration.ofSeconds(5)).onRetry(listener)) {
            assertEquals("fine", client.request("fine"));
        }
        verifyNoInteractions(listener);
    }

    private static void waitUntilClosed(EchoConnection connection) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (connection.isOpen()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not closed within 10 s: " + connection);
            }
            LockSupport.parkNanos(2_000_000);
        }
    }
}
