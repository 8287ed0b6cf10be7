package dev.echofixture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Prints the soak table ("test | load or fault | result | bytes lost") when the test run ends,
 * to stdout and to {@code target/soak-report.md}; nothing when no soak test ran. Registered in
 * {@code META-INF/services/org.junit.platform.launcher.TestExecutionListener}.
 */
public final class SoakReport implements TestExecutionListener {

    private static final int COLLAPSE = 5;

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

    /** The table; a test with more than {@value #COLLAPSE} rows (the argument lines) becomes one row with its failures. */
    static String table(List<String[]> rows) {
        Map<String, List<String[]>> byTest = new LinkedHashMap<>();
        for (String[] row : rows) {
            byTest.computeIfAbsent(row[0], t -> new ArrayList<>()).add(row);
        }
        StringBuilder out = new StringBuilder("| test | load or fault | result | bytes lost |\n| --- | --- | --- | --- |\n");
        for (Map.Entry<String, List<String[]>> test : byTest.entrySet()) {
            List<String[]> mine = test.getValue();
            if (mine.size() <= COLLAPSE) {
                for (String[] row : mine) {
                    out.append("| ").append(String.join(" | ", row)).append(" |\n");
                }
                continue;
            }
            List<String> failed = new ArrayList<>();
            for (String[] row : mine) {
                if (!row[2].startsWith("ok")) {
                    failed.add("`" + row[1] + "`");
                }
            }
            out.append("| ").append(test.getKey()).append(" | ").append(mine.size()).append(" cases | ")
                    .append(mine.size() - failed.size()).append(" ok")
                    .append(failed.isEmpty() ? "" : ", " + failed.size() + " FAILED: " + String.join(", ", failed))
                    .append(" | n/a |\n");
        }
        return out.toString();
    }
}
