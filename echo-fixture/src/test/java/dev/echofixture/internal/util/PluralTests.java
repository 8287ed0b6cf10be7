package dev.echofixture.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PluralTests {

    @Test
    void oneIsSingularEverythingElsePlural() {
        assertEquals("1 connection", Plural.of(1, "connection"));
        assertEquals("0 connections", Plural.of(0, "connection"));
        assertEquals("2 bytes", Plural.of(2, "byte"));
        assertEquals("-1 bytes", Plural.of(-1, "byte"));
    }
}
