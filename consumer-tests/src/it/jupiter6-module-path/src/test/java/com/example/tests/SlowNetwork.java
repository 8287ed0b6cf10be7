package com.example.tests;

import dev.echofixture.junit.EchoServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** This build's own network condition: each chunk 20 ms late, echoed one byte at a time. */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.PARAMETER, ElementType.FIELD})
@Retention(RetentionPolicy.RUNTIME)
@EchoServer(latencyMillis = 20, chunkSize = 1)
@interface SlowNetwork {
}
