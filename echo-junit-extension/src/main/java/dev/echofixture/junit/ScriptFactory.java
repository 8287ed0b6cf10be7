package dev.echofixture.junit;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Script;
import dev.echofixture.SettingException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.function.Function;

/**
 * The static factory method {@code @EchoServer(script = ...)} names, found when the declaration
 * is read and called when the server starts (as {@code @MethodSource} does). Immutable.
 */
final class ScriptFactory {

    private final Method method;

    private ScriptFactory(Method method) {
        this.method = method;
    }

    /**
     * Finds {@code name}: {@code "method"} in {@code owner} or a superclass, or
     * {@code "fully.qualified.Class#method"}.
     *
     * @param fail makes the exception for a message such as {@code 'smtp' (expected: ...)}
     */
    static ScriptFactory find(String name, Class<?> owner, Function<String, RuntimeException> fail) {
        String expected = " (expected: the name of a static method with no parameters returning dev.echofixture.Script,"
                + " in the test class or as fully.qualified.Class#method)";
        Class<?> type = owner;
        String methodName = name;
        int hash = name.indexOf('#');
        if (hash >= 0) {
            methodName = name.substring(hash + 1);
            try {
                type = Class.forName(name.substring(0, hash), false, owner.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw fail.apply("'" + name + "': no class " + name.substring(0, hash) + expected);
            }
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method method = c.getDeclaredMethod(methodName);
                if (!Modifier.isStatic(method.getModifiers()) || !Script.class.isAssignableFrom(method.getReturnType())) {
                    throw fail.apply("'" + name + "': " + method + " is not static or does not return Script" + expected);
                }
                method.setAccessible(true);
                return new ScriptFactory(method);
            } catch (NoSuchMethodException e) {
                // a superclass may declare it
            }
        }
        throw fail.apply("'" + name + "': no such method in " + type.getName() + expected);
    }

    /** Calls the method and sets its script; a bad script's setting is named with the method. */
    void applyTo(EmbeddedEchoServer.Builder builder) {
        Object script;
        try {
            script = method.invoke(null);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SettingException bad) {
                throw new SettingException(bad.setting(), bad.detail() + ", in the script of " + describe(), bad);
            }
            throw new SettingException("script", describe() + " threw " + cause + " (expected: a Script)", cause);
        } catch (IllegalAccessException e) {
            throw new SettingException("script", describe() + " cannot be called: " + e.getMessage(), e);
        }
        if (script == null) {
            throw new SettingException("script", describe() + " returned null (expected: a Script)");
        }
        builder.script((Script) script);
    }

    private String describe() {
        return method.getDeclaringClass().getName() + "." + method.getName() + "()";
    }
}
