package dev.echofixture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TlsOptions}: an immutable value that checks its arguments. */
@Timeout(10)
class TlsOptionsTests {

    @Test
    void eachSetterReturnsANewValueAndLeavesTheOldOne() {
        TlsOptions defaults = TlsOptions.defaults();
        TlsOptions need = defaults.clientAuth(TlsOptions.ClientAuth.NEED).protocols("TLSv1.3").applicationProtocols("h2");
        assertEquals(TlsOptions.ClientAuth.NONE, defaults.clientAuth());
        assertEquals(TlsOptions.ClientAuth.NEED, need.clientAuth());
        assertEquals(List.of("TLSv1.3"), need.protocols());
        assertEquals(List.of("h2"), need.applicationProtocols());
        assertEquals(List.of(), defaults.protocols());
        assertEquals(Duration.ZERO, defaults.handshakeDelay());
    }

    @Test
    void equalsAndHashCodeAreValueBased() {
        TlsOptions a = TlsOptions.defaults().cipherSuites("TLS_AES_128_GCM_SHA256").handshakeDelay(Duration.ofMillis(5));
        TlsOptions b = TlsOptions.defaults().cipherSuites("TLS_AES_128_GCM_SHA256").handshakeDelay(Duration.ofMillis(5));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, b.silentHandshake());
        assertNotEquals(TlsOptions.defaults(), TlsOptions.defaults().selfSigned());
    }

    @Test
    void toStringListsWhatDiffersFromTheDefaults() {
        assertEquals("TlsOptions[generated]", TlsOptions.defaults().toString());
        assertEquals("TlsOptions[self-signed, clientAuth=WANT, protocols=[TLSv1.2], handshakeDelay=2s, silentHandshake]",
                TlsOptions.defaults().selfSigned().clientAuth(TlsOptions.ClientAuth.WANT).protocols("TLSv1.2")
                        .handshakeDelay(Duration.ofSeconds(2)).silentHandshake().toString());
    }

    @Test
    void badArgumentsNameTheSetting() {
        IllegalArgumentException delay = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.defaults().handshakeDelay(Duration.ofMillis(-1)));
        assertTrue(delay.getMessage().startsWith("handshakeDelay: PT-0.001S (expected: 0 to PT1H"), delay.getMessage());
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
                () -> TlsOptions.defaults().protocols("TLSv1.3", " "));
        assertTrue(blank.getMessage().startsWith("protocols: [TLSv1.3,  ] (expected: names without blanks"), blank.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.defaults().clientAuth(null));
        assertThrows(IllegalArgumentException.class, () -> TlsOptions.defaults().keyManager(null));
    }

    @Test
    void tlsOptionsWithAnotherTransportFailAtStart() {
        EmbeddedEchoServer.Builder builder = EmbeddedEchoServer.builder().tls(TlsOptions.defaults()).transport(Transport.UDP);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::start);
        assertTrue(e.getMessage().startsWith("tls: TlsOptions[generated] (expected: no TLS options with transport UDP"),
                e.getMessage());
    }
}
