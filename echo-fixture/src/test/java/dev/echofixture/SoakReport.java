package dev.echofixture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the soak table ("test | load or fault | result | bytes lost") when the test run ends,
 * to stdout and to {@code target/soak-report.md}; nothing when no soak test ran. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SoakReport implements TestExecutionListener {

    /** For the service loader. */
    public SoakReport() {
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        List<String[]> rows = Soak.rows();
        if (rows.isEmpty()) {
            return;
        }
        String table = table(rows);
        System.out.println();
        System.out.println("Soak and fault suite (" + (Soak.FULL ? "full" : "short form") + "):");
        System.out.println(table);
        System.out.flush();
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("soak-report.md"), table, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            System.err.println("cannot write target/soak-report.md: " + e);
        }
    }

    static String table(List<String[]> rows) {
        StringBuilder out = new StringBuilder("| test | load or fault | result | bytes lost |\n| --- | --- | --- | --- |\n");
        for (String[] row : rows) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        return out.toString();
    }
}
