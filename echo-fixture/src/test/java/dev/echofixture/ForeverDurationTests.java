package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression (issue 19, item 5): every public method of the exported package that takes a
 * {@link Duration}, found by reflection so that a new one cannot be missed, called with
 * {@code ChronoUnit.FOREVER.getDuration()} and with {@code Long.MAX_VALUE} seconds. A wait
 * saturates to forever (and returns here, because what it waits for has happened); a setting
 * takes it as never, or rejects it with an {@link IllegalArgumentException} naming the setting.
 * None throws {@link ArithmeticException}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ForeverDurationTests {

    private static final List<Duration> FOREVERS =
            List.of(ChronoUnit.FOREVER.getDuration(), Duration.ofSeconds(Long.MAX_VALUE));

    private static EmbeddedEchoServer tcp;
    private static EmbeddedEchoServer tls;
    private static EchoClient tcpClient;
    private static EchoClient tlsClient;
    private static EchoConnection tcpConnection;
    private static EchoConnection tlsConnection;

    /** How to call one method with a forever duration, and what to check afterwards. */
    @FunctionalInterface
    private interface Recipe {
        void call(Executable method, Duration forever) throws Exception;
    }

    /** One recipe per public method taking a Duration, keyed by {@link #key(Executable)}. */
    private static final Map<String, Recipe> RECIPES = Map.ofEntries(
            Map.entry("EchoBehavior.latency(Duration)", (m, d) ->
                    rejectedNaming("latency", m, EchoBehavior.echo(), d)),
            Map.entry("EchoBehavior.jitter(Duration)", (m, d) ->
                    rejectedNaming("jitter", m, EchoBehavior.echo(), d)),
            Map.entry("FaultSteps.after(Duration, EchoBehavior)", (m, d) -> {
                try {
                    Object value = invoke(m, FaultSteps.startWith(EchoBehavior.echo()), d, EchoBehavior.echo().silent());
                    fail("after(" + d + ", ...) was accepted: " + value);
                } catch (IllegalArgumentException e) {
                    assertTrue(e.getMessage().startsWith("after: "), e.getMessage());
                }
            }),
            Map.entry("EchoBehavior.slowClose(Duration)", (m, d) ->
                    rejectedNaming("slowClose", m, EchoBehavior.echo(), d)),
            Map.entry("EmbeddedEchoServer.refuseConnections(Duration)", (m, d) ->
                    rejectedNaming("window", m, tcp, d)),
            Map.entry("EmbeddedEchoServer.leaveConnectsUnanswered(Duration)", (m, d) ->
                    rejectedNaming("window", m, tcp, d)),
            Map.entry("TlsOptions.handshakeDelay(Duration)", (m, d) ->
                    rejectedNaming("handshakeDelay", m, TlsOptions.defaults(), d)),
            Map.entry("TlsOptions.handshakeTimeout(Duration)", (m, d) -> {
                TlsOptions options = (TlsOptions) invoke(m, TlsOptions.defaults(), d);
                try (EmbeddedEchoServer server = EmbeddedEchoServer.builder().transport(Transport.TLS).tls(options).start();
                     EchoClient client = server.newClient()) {
                    assertEquals("never timed out", client.send("never timed out").get(10, TimeUnit.SECONDS));
                }
            }),
            Map.entry("EmbeddedEchoServer.Builder.idleTimeout(Duration)", (m, d) -> {
                EmbeddedEchoServer.Builder builder = (EmbeddedEchoServer.Builder) invoke(m, EmbeddedEchoServer.builder(), d);
                try (EmbeddedEchoServer server = builder.start(); EchoClient client = server.newClient()) {
                    assertEquals("never idle", client.send("never idle").get(10, TimeUnit.SECONDS));
                }
            }),
            Map.entry("EmbeddedEchoServer.awaitConnections(int, Duration)", (m, d) ->
                    assertEquals(List.of(tcpConnection), invoke(m, tcp, 1, d))),
            Map.entry("EmbeddedEchoServer.connectionsLeftOpen(Duration)", (m, d) ->
                    assertEquals(List.of(tcpConnection), invoke(m, tcp, d), "the open client's connection")),
            Map.entry("EchoConnection.awaitReceived(byte[], Duration)", (m, d) ->
                    invoke(m, tcpConnection, "hello".getBytes(StandardCharsets.UTF_8), d)),
            Map.entry("EchoConnection.awaitReceived(String, Duration)", (m, d) ->
                    invoke(m, tcpConnection, "hello", d)),
            Map.entry("EchoConnection.awaitTls(Duration)", (m, d) -> {
                TlsHandshake handshake = (TlsHandshake) invoke(m, tlsConnection, d);
                assertEquals(TlsHandshake.Status.COMPLETED, handshake.status(), handshake.toString());
            }),
            Map.entry("EchoClient.connect(URI, Duration)", (m, d) -> {
                try (EchoClient client = (EchoClient) invoke(m, null, tcp.uri(), d)) {
                    assertArrayEquals(new byte[] {1, 2, 3}, client.send(new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS));
                }
            }),
            Map.entry("EchoConnection.awaitClosed(Duration)", (m, d) -> {
                try (EmbeddedEchoServer server = EmbeddedEchoServer.start()) {
                    server.newClient().close();
                    EchoConnection connection = server.awaitConnections(1, Duration.ofSeconds(10)).get(0);
                    assertEquals(ConnectionClose.Kind.ORDERLY, ((ConnectionClose) invoke(m, connection, d)).kind());
                }
            }),
            Map.entry("EmbeddedEchoServer.takeConnection(Duration)", (m, d) -> {
                try (EmbeddedEchoServer server = EmbeddedEchoServer.start(); EchoClient client = server.newClient()) {
                    EchoConnection taken = (EchoConnection) invoke(m, server, d);
                    assertEquals(client.localAddress(), taken.remoteAddress());
                }
            }),
            Map.entry("EchoClient.connect(SocketAddress, Duration)", (m, d) -> {
                try (EchoClient client = (EchoClient) invoke(m, null, tcp.socketAddress(), d)) {
                    assertArrayEquals(new byte[] {4, 5, 6}, client.send(new byte[] {4, 5, 6}).get(10, TimeUnit.SECONDS));
                }
            }),
            Map.entry("ProxyOptions.connectTimeout(Duration)", (m, d) -> {
                ProxyOptions options = (ProxyOptions) invoke(m, ProxyOptions.to(tcp.uri()), d);
                try (EmbeddedEchoServer proxy = EmbeddedEchoServer.builder().proxy(options).start();
                     EchoClient client = proxy.newClient()) {
                    assertEquals("never timed out", client.send("never timed out").get(10, TimeUnit.SECONDS));
                }
            }),
            Map.entry("DialogueEntry.<init>(Direction, Duration, byte[])", (m, d) -> {
                DialogueEntry entry = (DialogueEntry) ((java.lang.reflect.Constructor<?>) m)
                        .newInstance(DialogueEntry.Direction.TO_CLIENT, d, new byte[] {1});
                assertEquals(d, entry.at(), "a value: kept as given");
            }),
            Map.entry("EchoClient.connect(URI, Duration, SSLContext)", (m, d) -> {
                try (EchoClient client = (EchoClient) invoke(m, null, tls.uri(), d, tls.sslContextForClients())) {
                    assertEquals("over tls", client.send("over tls").get(10, TimeUnit.SECONDS));
                }
            }));

    @BeforeAll
    static void startServersWithAConnectionEach() throws Exception {
        tcp = EmbeddedEchoServer.start();
        tls = EmbeddedEchoServer.builder().transport(Transport.TLS).start();
        tcpClient = tcp.newClient();
        tlsClient = tls.newClient();
        assertEquals("hello", tcpClient.send("hello").get(10, TimeUnit.SECONDS));
        assertEquals("hello", tlsClient.send("hello").get(10, TimeUnit.SECONDS));
        tcpConnection = tcp.awaitConnections(1, Duration.ofSeconds(10)).get(0);
        tlsConnection = tls.awaitConnections(1, Duration.ofSeconds(10)).get(0);
    }

    @AfterAll
    static void closeAll() {
        for (AutoCloseable c : new AutoCloseable[] {tcpClient, tlsClient, tcp, tls}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // closing what a failed start left
            }
        }
    }

    @Test
    void everyPublicMethodTakingADurationHasARecipe() throws Exception {
        TreeSet<String> found = new TreeSet<>();
        for (Executable e : publicExecutablesTakingADuration()) {
            found.add(key(e));
        }
        assertEquals(new TreeSet<>(RECIPES.keySet()), found,
                "a public method taking a Duration was added or removed: give it a recipe here");
    }

    @Test
    void foreverNeverOverflows() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Executable e : publicExecutablesTakingADuration()) {
            Recipe recipe = RECIPES.get(key(e));
            if (recipe == null) {
                continue; // reported by everyPublicMethodTakingADurationHasARecipe
            }
            for (Duration forever : FOREVERS) {
                try {
                    recipe.call(e, forever);
                } catch (ArithmeticException ex) {
                    failures.add(key(e) + " with " + forever + ": " + ex);
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Calls the method; a checked or runtime exception it throws is rethrown as it is. */
    private static Object invoke(Executable executable, Object target, Object... args) throws Exception {
        try {
            if (executable instanceof Method method) {
                return method.invoke(target, args);
            }
            return ((Constructor<?>) executable).newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }

    /** A setting that cannot mean "never": rejected with an IllegalArgumentException naming it. */
    private static void rejectedNaming(String setting, Executable method, Object target, Duration forever) throws Exception {
        try {
            Object value = invoke(method, target, forever);
            fail(setting + "(" + forever + ") was accepted: " + value);
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith(setting + ": "), e.getMessage());
            assertNotEquals(-1, e.getMessage().indexOf("expected: "), e.getMessage());
        }
    }

    /** {@code EmbeddedEchoServer.Builder.idleTimeout(Duration)}. */
    private static String key(Executable e) {
        String type = e.getDeclaringClass().getName().substring("dev.echofixture.".length()).replace('$', '.');
        String name = e instanceof Constructor<?> ? "<init>" : e.getName();
        return type + "." + name + "(" + Arrays.stream(e.getParameterTypes()).map(Class::getSimpleName)
                .collect(Collectors.joining(", ")) + ")";
    }

    /** Every public method and constructor of a public type in the exported package with a Duration parameter. */
    private static List<Executable> publicExecutablesTakingADuration() throws Exception {
        Path classes = Path.of(EmbeddedEchoServer.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                .resolve("dev/echofixture");
        List<String> names;
        try (Stream<Path> files = Files.list(classes)) {
            names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".class") && !n.equals("package-info.class") && !n.equals("module-info.class"))
                    .map(n -> "dev.echofixture." + n.substring(0, n.length() - ".class".length()))
                    .sorted()
                    .collect(Collectors.toList());
        }
        List<Executable> found = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name, false, ForeverDurationTests.class.getClassLoader());
            if (!isPublicApi(type)) {
                continue;
            }
            List<Executable> members = new ArrayList<>(Arrays.asList(type.getDeclaredMethods()));
            members.addAll(Arrays.asList(type.getDeclaredConstructors()));
            for (Executable e : members) {
                if (Modifier.isPublic(e.getModifiers()) && !e.isSynthetic()
                        && Arrays.asList(e.getParameterTypes()).contains(Duration.class)) {
                    found.add(e);
                }
            }
        }
        return found;
    }

    /** A public type whose enclosing types are public too. */
    private static boolean isPublicApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }
}
