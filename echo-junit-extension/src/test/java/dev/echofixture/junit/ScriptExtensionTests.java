package dev.echofixture.junit;

import static dev.echofixture.junit.EchoTestKit.assertServersClosed;
import static dev.echofixture.junit.EchoTestKit.execute;
import static dev.echofixture.junit.EchoTestKit.trafficReports;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.echofixture.EmbeddedEchoServer;
import dev.echofixture.Framing;
import dev.echofixture.Match;
import dev.echofixture.Reply;
import dev.echofixture.Script;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.testkit.engine.EngineExecutionResults;

/** Scripted replies through the extension: the annotation's factory method, the builder, the report's dialogue, bad scripts. */
@Timeout(60)
class ScriptExtensionTests {

    static Script greeter() {
        return Script.of(Framing.lines())
                .greeting(Reply.lines("220 ready"))
                .on(Match.prefix("HELO"), Reply.lines("250 hello"))
                .otherwise(Reply.lines("502 no"));
    }

    static Script badRegex() {
        return Script.of(Framing.lines()).on(Match.regex("HELO ("), Reply.lines("250"));
    }

    static String talk(EmbeddedEchoServer server, String line) throws Exception {
        try (Socket socket = new Socket(server.address().getAddress(), server.port())) {
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String greeting = in.readLine();
            OutputStream out = socket.getOutputStream();
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            return greeting + "|" + in.readLine();
        }
    }

    @Test
    void theAnnotationNamesAStaticFactoryMethodAndTheReportShowsTheDialogue() {
        EngineExecutionResults results = execute(AnnotatedTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(2).succeeded(1).failed(1));
        List<Map<String, String>> reports = trafficReports(results);
        assertEquals(1, reports.size(), () -> "reports: " + reports);
        assertEquals("(connect) -> \"220 ready\\r\\n\" | \"HELO me\" -> \"250 hello\\r\\n\"",
                reports.get(0).get("echo-server.connection-1.dialogue"));
        assertServersClosed(results);
    }

    @Test
    void theExtensionsBuilderTakesAScript() {
        EngineExecutionResults results = execute(RegisteredTestCase.class);
        results.testEvents().assertStatistics(stats -> stats.started(1).succeeded(1));
    }

    @Test
    void aBadScriptFailsAtStartNamingTheSettingAndTheMethod() {
        EngineExecutionResults results = execute(BadRegexTestCase.class, MissingMethodTestCase.class);
        List<Throwable> failures = EchoTestKit.failures(results);
        assertEquals(2, failures.size(), failures::toString);
        String regex = failures.stream().map(Throwable::getMessage).filter(m -> m.contains("regex:")).findFirst().orElseThrow();
        assertTrue(regex.contains("regex: HELO ( (expected: a regular expression that compiles"), regex);
        assertTrue(regex.contains("in the script of dev.echofixture.junit.ScriptExtensionTests.badRegex()"), regex);
        String missing = failures.stream().map(Throwable::getMessage).filter(m -> m.contains("nope")).findFirst().orElseThrow();
        assertTrue(missing.contains("script: 'nope': no such method in"), missing);
    }

    static class AnnotatedTestCase {

        @Test
        void answers(@EchoServer(script = "dev.echofixture.junit.ScriptExtensionTests#greeter") EmbeddedEchoServer server)
                throws Exception {
            assertEquals("220 ready|502 no", talk(server, "EHLO me"));
        }

        @Test
        void failsOnPurpose(@EchoServer(script = "localGreeter") EmbeddedEchoServer server) throws Exception {
            assertEquals("220 ready|250 hello", talk(server, "HELO me"));
            server.awaitConnections(1, java.time.Duration.ofSeconds(10));
            fail("fails on purpose");
        }

        static Script localGreeter() {
            return greeter();
        }
    }

    static class RegisteredTestCase {

        @RegisterExtension
        static final EchoServerExtension SERVER = EchoServerExtension.builder().script(greeter()).build();

        @Test
        void answers(EmbeddedEchoServer server) throws Exception {
            assertEquals("220 ready|250 hello", talk(server, "HELO you"));
        }
    }

    static class BadRegexTestCase {

        @Test
        void neverRuns(@EchoServer(script = "dev.echofixture.junit.ScriptExtensionTests#badRegex") EmbeddedEchoServer server) {
            fail("must not start");
        }
    }

    static class MissingMethodTestCase {

        @Test
        void neverRuns(@EchoServer(script = "nope") EmbeddedEchoServer server) {
            fail("must not start");
        }
    }
}
