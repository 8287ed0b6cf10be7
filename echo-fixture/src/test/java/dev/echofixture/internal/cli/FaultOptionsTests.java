package dev.echofixture.internal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.echofixture.EchoBehavior;
import dev.echofixture.internal.server.BuilderAccess;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The standalone endpoint's fault options: each maps onto the behaviour; a bad one names the option. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class FaultOptionsTests {

    private static EchoBehavior behavior(String... args) throws CommandLine.UsageException {
        return BuilderAccess.config(CommandLine.parse(args).builder()).behavior();
    }

    @Test
    void mapsTheUdpFaultsOntoTheBehavior() throws Exception {
        assertEquals(EchoBehavior.echo().udpLoss(0.1).udpDuplication(0.05).udpReordering(.5),
                behavior("--udp", "--udp-loss", "0.1", "--udp-duplication=0.05", "--udp-reordering", ".5"));
    }

    @Test
    void mapsTheStreamFaultsOntoTheBehavior() throws Exception {
        assertEquals(EchoBehavior.echo().corruptRate(0.001).corruptAt(0, 5, 17).randomDataThenClose(1024)
                        .slowClose(Duration.ofMillis(200)),
                behavior("--corrupt-rate", "0.001", "--corrupt-at", "0,5,17", "--random-data-then-close", "1k",
                        "--slow-close", "200ms"));
    }

    @Test
    void theUsageListsTheFaultOptions() {
        for (String option : new String[] {"--udp-loss R", "--udp-duplication R", "--udp-reordering R", "--corrupt-rate R",
                "--corrupt-at LIST", "--random-data-then-close SIZE", "--slow-close D"}) {
            assertTrue(CommandLine.USAGE.contains(option), option);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--udp --udp-loss 1.5        | --udp-loss: 1.5 (expected: a rate from 0.0 to 1.0, for example 0.1 for 10 %)",
        "--udp --udp-loss 10%        | --udp-loss: 10% (expected: a rate from 0.0 to 1.0 such as 0.1)",
        "--udp --udp-duplication -1  | --udp-duplication: -1 (expected: a rate from 0.0 to 1.0 such as 0.1)",
        "--corrupt-rate 1e-3         | --corrupt-rate: 1e-3 (expected: a rate from 0.0 to 1.0 such as 0.1)",
        "--corrupt-at 1,,2           | --corrupt-at: 1,,2 (expected: byte offsets from 0 separated by commas such as 0,5,17)",
        "--corrupt-at -1             | --corrupt-at: -1 (expected: byte offsets from 0 separated by commas such as 0,5,17)",
        "--random-data-then-close 0  | --random-data-then-close: 0 (expected: >= 1)",
        "--slow-close 2h             | --slow-close: 2h (expected: at most 1 hour, such as 50ms or 2s)",
        "--udp-loss 0.1              | --udp-loss: EchoBehavior.echo().udpLoss(0.1) (expected: no udpLoss with transport TCP, which has no datagrams; use transport(Transport.UDP), or corruptRate, corruptAt or slowClose)",
        "--udp --slow-close 1s       | --slow-close: EchoBehavior.echo().slowClose(1s) (expected: no slowClose with transport UDP, which has no byte stream to change or close; use udpLoss, udpDuplication or udpReordering)"})
    void aBadFaultOptionNamesTheOptionTheValueAndTheFix(String args, String message) {
        assertEquals(message, assertThrows(CommandLine.UsageException.class,
                () -> CommandLine.parse(args.trim().split(" +"))).getMessage());
    }
}
