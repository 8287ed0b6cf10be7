package dev.echofixture.junit;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * What the owning {@link EchoServerExtension} does after each test and after each class:
 * close the injected clients, run {@link OpenConnectionsCheck}, publish the
 * {@link TrafficReport} of a failure (as report entries, as a suppressed
 * {@link TrafficReportException} on the failure, and in the log), and close the scope's
 * {@link Resources}. Stateless; called on the test's thread. The only shared data are look-ups
 * that never change for a method (is it a {@code @TestFactory}?), cached per class.
 */
final class AfterTest {

    private AfterTest() {
    }

    /** After a test: closes its clients, checks open connections, reports a failure, closes its servers. */
    static void afterEach(ExtensionContext context) {
        // a @TestFactory's dynamic tests may still run (in parallel mode) after afterEach:
        // leave its servers to the store, which closes them when the factory's context ends
        boolean factory = context.getTestMethod().map(AfterTest::isTestFactory).orElse(false);
        Optional<Resources> own = Resources.existing(context);
        List<Resources> visible = Resources.visibleFrom(context);
        Set<Integer> clientPorts = clientPorts(visible);
        if (!factory) {
            own.ifPresent(Resources::closeClients);
        }
        List<ServerResource> servers = visible.stream().flatMap(r -> r.servers().stream()).collect(Collectors.toList());
        Optional<AssertionError> openConnections = factory ? Optional.empty() : OpenConnectionsCheck.check(servers, clientPorts);
        try {
            Optional<Throwable> failure = context.getExecutionException().or(() -> openConnections);
            if (failure.isPresent()) {
                report(context, failure.get(), servers, clientPorts);
            }
        } finally {
            if (!factory) {
                own.ifPresent(Resources::close);
            }
        }
        if (openConnections.isPresent()) {
            throw openConnections.get();
        }
    }

    /** After a class: reports a failure of the class, closes its servers. */
    static void afterAll(ExtensionContext context) {
        Optional<Resources> own = Resources.existing(context);
        try {
            if (context.getExecutionException().isPresent() && own.isPresent()) {
                report(context, context.getExecutionException().get(), own.get().servers(), clientPorts(List.of(own.get())));
            }
        } finally {
            own.ifPresent(Resources::close);
        }
    }

    /**
     * The failed test as {@code Class > test}; an invocation of a {@code @RepeatedTest} or
     * {@code @ParameterizedTest}, whose display name ({@code repetition 1 of 3}) does not name
     * the method, as {@code Class > method > invocation}.
     */
    static String header(ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            return context.getDisplayName();
        }
        String test = context.getDisplayName();
        Optional<ExtensionContext> parent = context.getParent();
        if (parent.isPresent() && parent.get().getTestMethod().equals(context.getTestMethod())) {
            test = parent.get().getDisplayName() + " > " + test; // the template's container: the method
        }
        return context.getRequiredTestClass().getSimpleName() + " > " + test;
    }

    /** Whether a test method is a {@code @TestFactory} (also through a composed annotation); looked up once per method. */
    private static boolean isTestFactory(Method method) {
        return TEST_FACTORIES.get(method.getDeclaringClass())
                .computeIfAbsent(method, m -> AnnotationSupport.isAnnotated(m, TestFactory.class));
    }

    private static final ClassValue<Map<Method, Boolean>> TEST_FACTORIES = new ClassValue<>() {
        @Override
        protected Map<Method, Boolean> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private static Set<Integer> clientPorts(List<Resources> resources) {
        return resources.stream().flatMap(r -> r.clients().stream())
                .map(ClientResource::localPort).filter(OptionalInt::isPresent).map(OptionalInt::getAsInt)
                .collect(Collectors.toSet());
    }

    /**
     * Publishes the report as entries (one per server), attaches it to the failure as a
     * suppressed {@link TrafficReportException} (seen by every build tool and IDE) and logs it.
     */
    private static void report(ExtensionContext context, Throwable failure, List<ServerResource> servers, Set<Integer> clientPorts) {
        List<Map<String, String>> entries = new ArrayList<>();
        for (ServerResource server : servers) {
            Map<String, String> entry = TrafficReport.entry(server, clientPorts, entries.size() + 1);
            entries.add(entry);
            context.publishReportEntry(entry);
        }
        if (!entries.isEmpty()) {
            String test = header(context);
            TrafficReportException.attach(failure, test, entries);
            TrafficReport.log(test, entries);
        }
    }
}
