package dev.echofixture.junit;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.SettingException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.util.function.Supplier;

/**
 * {@code @EchoServer(proxyTo = "name")}: the static field or static no-argument method of that
 * name, in the annotated element's class, its superclasses or its enclosing classes, read each
 * time a connection arrives (the upstream may start after the proxy). Its value may be a
 * {@link SocketAddress}, a {@link URI} ({@code tcp://host:port}, {@code unix:/path}), its text, or
 * an {@link EmbeddedEchoServer} (its address).
 */
final class UpstreamMember implements Supplier<SocketAddress> {

    private final Member member;
    private final String description;

    private UpstreamMember(Member member) {
        this.member = member;
        this.description = (member instanceof Method ? "method " : "field ") + member.getDeclaringClass().getName() + "."
                + member.getName() + (member instanceof Method ? "()" : "");
    }

    /**
     * Finds the member.
     *
     * @throws SettingException naming {@code proxyTo} when there is no such static member
     */
    static UpstreamMember find(Class<?> owner, String name) {
        for (Class<?> c = owner; c != null; c = c.getEnclosingClass()) {
            for (Class<?> s = c; s != null && s != Object.class; s = s.getSuperclass()) {
                for (Field field : s.getDeclaredFields()) {
                    if (field.getName().equals(name) && Modifier.isStatic(field.getModifiers())) {
                        return new UpstreamMember(accessible(field, name));
                    }
                }
                for (Method method : s.getDeclaredMethods()) {
                    if (method.getName().equals(name) && method.getParameterCount() == 0 && Modifier.isStatic(method.getModifiers())) {
                        return new UpstreamMember(accessible(method, name));
                    }
                }
            }
        }
        throw new SettingException("proxyTo", "\"" + name + "\" (expected: the name of a static field or static"
                + " no-argument method of " + (owner == null ? "the test class" : owner.getName())
                + " or an enclosing class, giving the upstream as a SocketAddress, URI or EmbeddedEchoServer;"
                + " or a URI such as tcp://127.0.0.1:5432)");
    }

    private static <T extends java.lang.reflect.AccessibleObject & Member> T accessible(T member, String name) {
        if (!member.trySetAccessible()) {
            throw new SettingException("proxyTo", "\"" + name + "\" (expected: a member the extension can read; with JPMS,"
                    + " open the package of " + member.getDeclaringClass().getName() + " to dev.echofixture.junit)");
        }
        return member;
    }

    /** Whether the attribute is a URI rather than a member's name. */
    static boolean isUri(String value) {
        return value.contains(":");
    }

    @Override
    public SocketAddress get() {
        Object value;
        try {
            value = member instanceof Field field ? field.get(null) : ((Method) member).invoke(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("proxyTo: cannot read " + description + ": " + e.getMessage(), e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("proxyTo: " + description + " threw " + e.getCause(), e.getCause());
        }
        if (value == null) {
            throw new IllegalStateException("proxyTo: " + description + " is null (start the upstream before a connection"
                    + " reaches the proxy)");
        }
        if (value instanceof SocketAddress address) {
            return address;
        }
        if (value instanceof EmbeddedEchoServer server) {
            return server.socketAddress();
        }
        if (value instanceof URI uri) {
            return addressOf(uri);
        }
        if (value instanceof String text) {
            return addressOf(URI.create(text));
        }
        throw new IllegalStateException("proxyTo: " + description + " gave a " + value.getClass().getName()
                + " (expected: a SocketAddress, URI or EmbeddedEchoServer)");
    }

    private static SocketAddress addressOf(URI uri) {
        if ("unix".equals(uri.getScheme())) {
            return UnixDomainSocketAddress.of(uri.isOpaque() ? uri.getSchemeSpecificPart() : uri.getPath());
        }
        if ("tcp".equals(uri.getScheme()) && uri.getHost() != null && uri.getPort() > 0) {
            return new InetSocketAddress(uri.getHost(), uri.getPort());
        }
        throw new IllegalStateException("proxyTo: " + uri + " (expected: tcp://host:port or unix:/path)");
    }

    @Override
    public String toString() {
        return description;
    }
}
