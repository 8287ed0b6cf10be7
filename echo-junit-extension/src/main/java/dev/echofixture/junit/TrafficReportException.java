package dev.echofixture.junit;

import java.util.Collection;
import java.util.Map;

/**
 * The failure report as an exception, attached to a failed test's exception with
 * {@link Throwable#addSuppressed(Throwable)}: build tools and IDEs print suppressed exceptions
 * with the failure (Maven Surefire on the console and in its XML report, Gradle, IntelliJ,
 * Eclipse), where report entries and log lines often go unseen. It carries no stack trace, only
 * its message:
 *
 * <pre>{@code
 * Suppressed: dev.echofixture.junit.TrafficReportException: traffic of the echo servers of EchoTests > echoes(EmbeddedEchoServer):
 *   echo-server              = method [EchoTests.echoes(EmbeddedEchoServer)] tcp://127.0.0.1:40313
 *   echo-server.seed         = -4964420948893066024
 *   ...
 * }</pre>
 */
final class TrafficReportException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param test    the failed test, for example {@code EchoTests > echoes(EmbeddedEchoServer)}
     * @param entries the report entries, one per server
     */
    TrafficReportException(String test, Collection<Map<String, String>> entries) {
        super("traffic of the echo servers of " + test + ":" + System.lineSeparator() + TrafficReport.text(entries, "  "),
                null, false, false);
    }

    /**
     * Attaches the report to the failure, once: a failure that already carries a report (a
     * failure seen again by an enclosing scope) is left as it is.
     */
    static void attach(Throwable failure, String test, Collection<Map<String, String>> entries) {
        for (Throwable suppressed : failure.getSuppressed()) {
            if (suppressed instanceof TrafficReportException) {
                return;
            }
        }
        failure.addSuppressed(new TrafficReportException(test, entries));
    }
}
