package dev.echofixture.junit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.echofixture.EmbeddedEchoServer;
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

    /** A context with a map-backed store, as JUnit's, without the hierarchy. */
    private static ExtensionContext context(String uniqueId, ExtensionContext parent) {
        Map<Object, Object> values = new HashMap<>();
        Store store = mock(Store.class);
        when(store.get(any(), eq(Resources.class))).thenAnswer(i -> values.get(i.getArgument(0)));
        doAnswer(i -> values.put(i.getArgument(0), i.getArgument(1))).when(store).put(any(), any());
        ExtensionContext context = mock(ExtensionContext.class);
        when(context.getStore(Resources.NAMESPACE)).thenReturn(store);
        when(context.getUniqueId()).thenReturn(uniqueId);
        when(context.getParent()).thenReturn(Optional.ofNullable(parent));
        return context;
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
