package dev.echofixture.internal.faults;

import dev.echofixture.EchoBehavior;
import dev.echofixture.SettingException;

/** Rejects, at start and on every behaviour change, a fault the server's transport cannot apply. */
public final class FaultChecks {

    private FaultChecks() {
    }

    /**
     * Throws a {@link SettingException} naming the first fault a server of this kind cannot
     * apply: datagram faults on a stream server, stream faults on a UDP server.
     *
     * @param datagram whether the server is UDP
     * @param transport the transport's name, for the message
     */
    public static void checkFor(boolean datagram, String transport, EchoBehavior behavior) {
        if (!behavior.hasFaults()) {
            return;
        }
        if (datagram) {
            String name = behavior.corruptRate() > 0 ? "corruptRate"
                    : behavior.corruptOffsets().length > 0 ? "corruptAt"
                    : behavior.randomDataThenClose() >= 0 ? "randomDataThenClose"
                    : !behavior.slowClose().isZero() ? "slowClose" : null;
            if (name != null) {
                throw new SettingException(name, behavior + " (expected: no " + name
                        + " with transport UDP, which has no byte stream to change or close; use udpLoss, udpDuplication or udpReordering)");
            }
        } else {
            String name = behavior.udpLoss() > 0 ? "udpLoss"
                    : behavior.udpDuplication() > 0 ? "udpDuplication"
                    : behavior.udpReordering() > 0 ? "udpReordering" : null;
            if (name != null) {
                throw new SettingException(name, behavior + " (expected: no " + name + " with transport " + transport
                        + ", which has no datagrams; use transport(Transport.UDP), or corruptRate, corruptAt or slowClose)");
            }
        }
    }
}
