package dev.echofixture.junit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** A composed annotation, as a user would write one: {@code @EchoServer} with a fixed seed. */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@EchoServer(seed = 99)
@interface SeededEcho {
}
