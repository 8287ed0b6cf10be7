package com.example.jupiter5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JUnit this build runs on is the one it asked for: adding echo-fixture changed nothing. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class JUnitVersionTests {

    private static final String EXPECTED = System.getProperty("expected.jupiter.version");

    @Test
    void jupiterApiIsTheVersionThisBuildAskedFor() throws Exception {
        assertNotNull(EXPECTED, "system property expected.jupiter.version");
        assertEquals("junit-jupiter-api-" + EXPECTED + ".jar", jarOf(Test.class));
    }

    @Test
    void jupiterEngineIsTheSameVersion() throws Exception {
        assertEquals("junit-jupiter-engine-" + EXPECTED + ".jar",
                jarOf(Class.forName("org.junit.jupiter.engine.JupiterTestEngine")));
    }

    private static String jarOf(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()).getFileName().toString();
    }
}
