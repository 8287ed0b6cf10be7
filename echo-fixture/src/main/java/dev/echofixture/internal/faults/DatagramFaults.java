package dev.echofixture.internal.faults;

import dev.echofixture.EchoBehavior;

/**
 * What becomes of one datagram under a behaviour's UDP faults, drawn by {@link FaultDice} from
 * the seed, the peer's index and the datagram's index (0 for the peer's first). Loss is decided
 * first, then reordering, then duplication: a lost datagram is neither held nor doubled.
 */
public final class DatagramFaults {

    /** How long a datagram held for reordering waits for the peer's next one before it goes alone. */
    public static final long REORDER_WAIT_MILLIS = 200;

    /** The fate of a datagram. */
    public enum Fate {
        /** Recorded, not echoed. */
        DROP,
        /** Echoed once, as without faults. */
        ECHO,
        /** Echoed twice. */
        DUPLICATE,
        /** Held, to be echoed after the peer's next datagram. */
        HOLD
    }

    private DatagramFaults() {
    }

    /**
     * The fate of datagram {@code index} of peer {@code peer}.
     *
     * @param mayHold whether nothing is held for reordering already (one at a time per peer)
     */
    public static Fate fate(EchoBehavior behavior, long seed, int peer, long index, boolean mayHold) {
        if (FaultDice.happens(behavior.udpLoss(), seed, peer, FaultDice.LOSS, index)) {
            return Fate.DROP;
        }
        if (mayHold && FaultDice.happens(behavior.udpReordering(), seed, peer, FaultDice.REORDERING, index)) {
            return Fate.HOLD;
        }
        if (FaultDice.happens(behavior.udpDuplication(), seed, peer, FaultDice.DUPLICATION, index)) {
            return Fate.DUPLICATE;
        }
        return Fate.ECHO;
    }
}
