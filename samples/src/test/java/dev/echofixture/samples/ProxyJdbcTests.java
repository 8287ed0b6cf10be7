package dev.echofixture.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EmbeddedEchoServer;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.h2.jdbcx.JdbcConnectionPool;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A JDBC client through the proxy to a real H2 TCP server: latency, a reset mid result set, and recovery. */
@Timeout(60)
class ProxyJdbcTests {

    private Server h2;
    private EmbeddedEchoServer proxy;
    private JdbcConnectionPool pool;
    private String url;

    @BeforeEach
    void start() throws SQLException {
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
        proxy = EmbeddedEchoServer.builder()
                .proxyTo(new InetSocketAddress("127.0.0.1", h2.getPort()))
                .recordLimit(4096)
                .start();
        url = "jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/mem:proxied" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        pool = JdbcConnectionPool.create(url, "sa", "");
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t(id INT PRIMARY KEY, v VARCHAR(200))");
            s.execute("INSERT INTO t SELECT x, REPEAT('v', 200) FROM SYSTEM_RANGE(1, 5000)");
        }
    }

    @AfterEach
    void stop() {
        pool.dispose();
        proxy.close();
        h2.stop();
    }

    @Test
    void aQueryUnderLatencyAnswersLate() throws SQLException {
        proxy.behavior(EchoBehavior.echo().latency(Duration.ofMillis(100)));
        long start = System.nanoTime();
        try (Connection c = pool.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            assertTrue(rs.next());
            assertEquals(5000, rs.getInt(1));
        }
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(100).toNanos(), "the answer came through the latency");
    }

    @Test
    void aResetMidResultSetIsTheDriversErrorAndANewConnectionWorks() throws SQLException {
        try (Connection c = pool.getConnection(); Statement s = c.createStatement()) {
            s.setFetchSize(50);
            try (ResultSet rs = s.executeQuery("SELECT v FROM t ORDER BY id")) {
                assertTrue(rs.next());
                proxy.behavior(EchoBehavior.echo().resetAfter(2000)); // cuts the answers 2000 bytes from now
                SQLException e = assertThrows(SQLException.class, () -> {
                    for (int i = 0; i < 5000 && rs.next(); i++) {
                        rs.getString(1);
                    }
                });
                assertTrue(e.getMessage() != null && !e.getMessage().isEmpty(), e.toString());
            }
        } catch (SQLException closing) {
            // closing a broken connection may fail too
        }
        proxy.behavior(EchoBehavior.echo());
        // a new connection through the proxy works; H2 2.3's JdbcConnectionPool handed the broken one out again
        // ("Database is already closed"), so this asks the driver for a new one
        try (Connection c = java.sql.DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            assertTrue(rs.next());
            assertEquals(5000, rs.getInt(1), "a working connection after the reset");
        }
    }
}
