package dev.echofixture.junit;

import dev.echofixture.FaultPlan;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Resolves {@code @EchoServer(faultPlan = "...")}: a static factory method with no parameters
 * that returns a {@link FaultPlan}, named as {@code @MethodSource} names one: {@code "plan"} in
 * the test class (its superclasses, then its enclosing classes), or {@code "com.example.Plans#plan"}
 * in another class. Stateless.
 */
final class FaultPlanMethod {

    private FaultPlanMethod() {
    }

    /**
     * The plan the named method returns.
     *
     * @param name  the attribute's value
     * @param owner the class the annotated element belongs to
     * @return the plan
     * @throws IllegalArgumentException with the message to show after {@code faultPlan: }
     */
    static FaultPlan call(String name, Class<?> owner) {
        Class<?> type = owner;
        String methodName = name.trim();
        int hash = methodName.indexOf('#');
        if (hash >= 0) {
            String className = methodName.substring(0, hash);
            methodName = methodName.substring(hash + 1);
            try {
                type = Class.forName(className, false, loader(owner));
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("\"" + name + "\" (expected: an existing class before '#'; "
                        + className + " was not found)");
            }
        }
        Method method = find(type, methodName, hash < 0);
        if (method == null) {
            throw new IllegalArgumentException("\"" + name + "\" (expected: the name of a static method with no parameters"
                    + " returning FaultPlan, in " + type.getName() + (hash < 0 ? ", its superclasses or enclosing classes" : "")
                    + ", or \"com.example.Plans#method\")");
        }
        if (!Modifier.isStatic(method.getModifiers()) || !FaultPlan.class.isAssignableFrom(method.getReturnType())) {
            throw new IllegalArgumentException("\"" + name + "\" (expected: a static method returning FaultPlan; "
                    + method + " is not)");
        }
        try {
            method.setAccessible(true);
            Object plan = method.invoke(null);
            if (plan == null) {
                throw new IllegalArgumentException("\"" + name + "\" (expected: a FaultPlan; the method returned null)");
            }
            return (FaultPlan) plan;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("\"" + name + "\" (expected: a method that returns a plan; it threw "
                    + e.getCause() + ")", e.getCause());
        } catch (IllegalAccessException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("\"" + name + "\" (expected: a method the extension can call; " + e + ")", e);
        }
    }

    private static Method find(Class<?> type, String methodName, boolean enclosing) {
        for (Class<?> outer = type; outer != null; outer = enclosing ? outer.getEnclosingClass() : null) {
            for (Class<?> c = outer; c != null && c != Object.class; c = c.getSuperclass()) {
                try {
                    return c.getDeclaredMethod(methodName);
                } catch (NoSuchMethodException e) {
                    // look further up
                }
            }
        }
        return null;
    }

    private static ClassLoader loader(Class<?> owner) {
        ClassLoader loader = owner.getClassLoader();
        return loader != null ? loader : ClassLoader.getSystemClassLoader();
    }
}
