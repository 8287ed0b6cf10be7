package dev.echofixture.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EmbeddedEchoServer;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/** The per-scope store values: one {@link Resources} per context, idempotent closing. */
@Timeout(30)
class ResourcesTests {

    /**
     * A context with a map-backed store, as JUnit's, without the hierarchy. Plain JDK proxies:
     * no mocking library, whose start-up (class generation, agent attach) took 10 to 40 s on a
     * loaded machine and ran this class past its time-out.
     */
    private static ExtensionContext context(String uniqueId, ExtensionContext parent) {
        Map<Object, Object> values = new HashMap<>();
        Store store = proxy(Store.class, (method, args) -> switch (method) {
            case "get" -> values.get(args[0]);
            case "put" -> values.put(args[0], args[1]);
            default -> throw new UnsupportedOperationException("Store." + method);
        });
        return proxy(ExtensionContext.class, (method, args) -> switch (method) {
            case "getStore" -> Resources.NAMESPACE.equals(args[0]) ? store : null;
            case "getUniqueId" -> uniqueId;
            case "getParent" -> Optional.ofNullable(parent);
            case "toString" -> "context " + uniqueId;
            default -> throw new UnsupportedOperationException("ExtensionContext." + method);
        });
    }

    /** What a proxy does for a method name and its arguments. */
    private interface Answer {
        Object answer(String method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (self, method, args) -> method.getName().equals("hashCode") ? System.identityHashCode(self)
                        : method.getName().equals("equals") ? self == args[0]
                        : answer.answer(method.getName(), args)));
    }

    @Test
    void eachContextHasItsOwnResourcesCreatedOnce() {
        ExtensionContext parent = context("[class]", null);
        ExtensionContext test = context("[class]/[test]", parent);
        assertFalse(Resources.existing(test).isPresent());
        Resources own = Resources.of(test);
        assertSame(own, Resources.of(test));
        Resources classLevel = Resources.of(parent);
        assertNotSame(own, classLevel);
        assertEquals(List.of(own, classLevel), Resources.visibleFrom(test));
    }

    @Test
    void closingIsIdempotentAndClosesEveryServer() {
        Resources resources = new Resources();
        EmbeddedEchoServer first = EmbeddedEchoServer.start();
        EmbeddedEchoServer second = EmbeddedEchoServer.start();
        ServerResource a = resources.add(new ServerResource(first, "field [a]", null));
        ServerResource b = resources.add(new ServerResource(second, "field [b]", null));
        ClientResource client = resources.add(ClientResource.connect(a));
        assertTrue(client.client().isOpen());
        resources.close();
        resources.close();
        a.close();
        assertFalse(client.client().isOpen());
        assertFalse(first.isRunning());
        assertFalse(second.isRunning());
        assertEquals("field [b] " + second, b.toString());
    }
}
