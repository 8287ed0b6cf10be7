/**
 * The tests of a modular build, as their own module: it reads echo-fixture's JUnit extension (and,
 * through it, dev.echofixture and org.junit.jupiter.api) and is open to JUnit and the extension,
 * which create the test instances and inject their fields.
 */
open module com.example.tests {
    requires dev.echofixture.junit;
}
