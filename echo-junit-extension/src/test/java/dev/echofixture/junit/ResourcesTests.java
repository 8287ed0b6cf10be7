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
     * A fake context: its unique id, its parent, and a map-backed store (get and put, which is all
     * {@link Resources} uses; without the parent look-up of JUnit's). Any other call fails, so a
     * new dependency of {@link Resources} on the context shows up here. A dynamic proxy, not a
     * class: the interface grows between Jupiter 5.14 and 6, and these tests run on both.
     */
    private static ExtensionContext context(String uniqueId, ExtensionContext parent) {
        Map<Object, Object> values = new HashMap<>();
        Store store = fake(Store.class, (method, args) -> switch (method) {
            case "get" -> args.length == 2 ? ((Class<?>) args[1]).cast(values.get(args[0])) : values.get(args[0]);
            case "put" -> values.put(args[0], args[1]);
            default -> null;
        });
        return fake(ExtensionContext.class, (method, args) -> switch (method) {
            case "getStore" -> args.length == 1 && args[0] == Resources.NAMESPACE ? store : null;
            case "getUniqueId" -> uniqueId;
            case "getParent" -> Optional.ofNullable(parent);
            default -> null;
        });
    }

    /** Answers from {@code answers}; an answer of {@code null} means "not faked" and fails the call. */
    private static <T> T fake(Class<T> type, java.util.function.BiFunction<String, Object[], Object> answers) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            Object[] arguments = args == null ? new Object[0] : args;
            switch (method.getName()) {
                case "toString":
                    return "fake " + type.getSimpleName();
                case "hashCode":
                    return System.identityHashCode(proxy);
                case "equals":
                    return proxy == arguments[0];
                default:
                    break;
            }
            Object answer = answers.apply(method.getName(), arguments);
            if (answer == null && !(method.getName().equals("get") || method.getName().equals("put"))) {
                throw new UnsupportedOperationException("not faked: " + method);
            }
            return answer;
        }));
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
        ServerResource a = resources.add(new ServerResource(first, "field [a]", Declarations.DEFAULTS));
        ServerResource b = resources.add(new ServerResource(second, "field [b]", Declarations.DEFAULTS));
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
