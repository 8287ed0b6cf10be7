package dev.echofixture.junit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ExtensionContext.Store;

/**
 * The servers and clients created in one extension context (one test, or one class), in
 * creation order. It lives in that context's store, so JUnit closes it with the context; the
 * extension closes it explicitly before that. Closing closes clients first, then servers, in
 * reverse creation order; it is idempotent.
 *
 * <p>Each test has its own instance (the store key carries the context's unique id), so tests
 * running in parallel share nothing; the lists are copy-on-write because a class-level instance
 * may be read by several test threads while a test instance is only written by its own thread.
 */
@SuppressWarnings("deprecation") // CloseableResource: deprecated in Jupiter 6, the only auto-close hook on 5.14
final class Resources implements AutoCloseable, ExtensionContext.Store.CloseableResource {

    /** The one namespace of the extension; every key in it also names its scope. */
    static final Namespace NAMESPACE = Namespace.create("dev.echofixture.junit");

    private final List<ServerResource> servers = new CopyOnWriteArrayList<>();
    private final List<ClientResource> clients = new CopyOnWriteArrayList<>();

    /** A store key that is unique to one declaration in one context. */
    record Key(String kind, Object element, String scope) {
    }

    /** The resources of exactly this context (not its parents), created on first use. */
    static Resources of(ExtensionContext context) {
        return getOrCreate(context, new Key("resources", null, context.getUniqueId()), Resources.class, Resources::new);
    }

    /** The resources of this context, if any were created. */
    static Optional<Resources> existing(ExtensionContext context) {
        return Optional.ofNullable(context.getStore(NAMESPACE)
                .get(new Key("resources", null, context.getUniqueId()), Resources.class));
    }

    /** The resources of this context and of every enclosing context, innermost first. */
    static List<Resources> visibleFrom(ExtensionContext context) {
        List<Resources> all = new ArrayList<>();
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            existing(c).ifPresent(all::add);
        }
        return all;
    }

    /**
     * The server under {@code key} in the context's store, started by {@code start} and added to
     * the context's resources if there is none yet: the one get-or-create of every declaration.
     */
    static ServerResource server(ExtensionContext context, Key key, Supplier<ServerResource> start) {
        return getOrCreate(context, key, ServerResource.class, () -> of(context).add(start.get()));
    }

    /** The client under {@code key}, as {@link #server(ExtensionContext, Key, Supplier)}. */
    static ClientResource client(ExtensionContext context, Key key, Supplier<ClientResource> connect) {
        return getOrCreate(context, key, ClientResource.class, () -> of(context).add(connect.get()));
    }

    private static <T> T getOrCreate(ExtensionContext context, Key key, Class<T> type, Supplier<T> create) {
        Store store = context.getStore(NAMESPACE);
        T value = store.get(key, type);
        if (value == null) {
            value = create.get();
            store.put(key, value);
        }
        return value;
    }

    ServerResource add(ServerResource server) {
        servers.add(server);
        return server;
    }

    ClientResource add(ClientResource client) {
        clients.add(client);
        return client;
    }

    List<ServerResource> servers() {
        return Collections.unmodifiableList(servers);
    }

    List<ClientResource> clients() {
        return Collections.unmodifiableList(clients);
    }

    /** Closes the clients of this context. */
    void closeClients() {
        List<ClientResource> reversed = new ArrayList<>(clients);
        Collections.reverse(reversed);
        reversed.forEach(ClientResource::close);
    }

    @Override
    public void close() {
        closeClients();
        List<ServerResource> reversed = new ArrayList<>(servers);
        Collections.reverse(reversed);
        RuntimeException failure = null;
        for (ServerResource server : reversed) {
            try {
                server.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
