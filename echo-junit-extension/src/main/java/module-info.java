/**
 * The JUnit Jupiter extension of echo-fixture: {@link dev.echofixture.junit.EchoServer}.
 */
module dev.echofixture.junit {
    requires transitive dev.echofixture;
    requires transitive org.junit.jupiter.api;
    requires org.slf4j;

    exports dev.echofixture.junit;

    opens dev.echofixture.junit to org.junit.platform.commons;
}
