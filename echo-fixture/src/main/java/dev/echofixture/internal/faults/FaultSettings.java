package dev.echofixture.internal.faults;

import dev.echofixture.SettingException;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * The faults an {@code EchoBehavior} carries, as one immutable value, so that the behaviour
 * keeps a single field for all of them. Every {@code with} method checks its argument and
 * returns a new value; {@link #NONE} has none.
 */
public final class FaultSettings {

    /** No fault. */
    public static final FaultSettings NONE = new FaultSettings(0, 0, 0, 0, new long[0], -1, Duration.ZERO);

    private final double udpLoss;
    private final double udpDuplication;
    private final double udpReordering;
    private final double corruptRate;
    private final long[] corruptOffsets; // sorted, distinct
    private final int randomDataThenClose; // -1: none
    private final Duration slowClose;

    private FaultSettings(double udpLoss, double udpDuplication, double udpReordering, double corruptRate,
                          long[] corruptOffsets, int randomDataThenClose, Duration slowClose) {
        this.udpLoss = udpLoss;
        this.udpDuplication = udpDuplication;
        this.udpReordering = udpReordering;
        this.corruptRate = corruptRate;
        this.corruptOffsets = corruptOffsets;
        this.randomDataThenClose = randomDataThenClose;
        this.slowClose = slowClose;
    }

    public FaultSettings udpLoss(double rate) {
        return new FaultSettings(rate(rate, "udpLoss"), udpDuplication, udpReordering, corruptRate,
                corruptOffsets, randomDataThenClose, slowClose);
    }

    public FaultSettings udpDuplication(double rate) {
        return new FaultSettings(udpLoss, rate(rate, "udpDuplication"), udpReordering, corruptRate,
                corruptOffsets, randomDataThenClose, slowClose);
    }

    public FaultSettings udpReordering(double rate) {
        return new FaultSettings(udpLoss, udpDuplication, rate(rate, "udpReordering"), corruptRate,
                corruptOffsets, randomDataThenClose, slowClose);
    }

    public FaultSettings corruptRate(double rate) {
        return new FaultSettings(udpLoss, udpDuplication, udpReordering, rate(rate, "corruptRate"),
                corruptOffsets, randomDataThenClose, slowClose);
    }

    public FaultSettings corruptAt(long... offsets) {
        Checks.notNull(offsets, "corruptAt");
        for (long offset : offsets) {
            if (offset < 0) {
                throw new SettingException("corruptAt", Arrays.toString(offsets)
                        + " (expected: byte offsets >= 0 into the echoed stream, for example corruptAt(0, 5))");
            }
        }
        long[] sorted = Arrays.stream(offsets).distinct().sorted().toArray();
        return new FaultSettings(udpLoss, udpDuplication, udpReordering, corruptRate,
                sorted, randomDataThenClose, slowClose);
    }

    public FaultSettings randomDataThenClose(int bytes) {
        return new FaultSettings(udpLoss, udpDuplication, udpReordering, corruptRate,
                corruptOffsets, Checks.atLeast(bytes, 1, "randomDataThenClose"), slowClose);
    }

    public FaultSettings slowClose(Duration delay) {
        return new FaultSettings(udpLoss, udpDuplication, udpReordering, corruptRate,
                corruptOffsets, randomDataThenClose, Checks.delay(delay, "slowClose"));
    }

    private static double rate(double rate, String name) {
        if (!(rate >= 0 && rate <= 1)) { // NaN too
            throw new SettingException(name, rate + " (expected: a rate from 0.0 to 1.0, for example 0.1 for 10 %)");
        }
        return rate + 0.0; // -0.0 becomes 0.0, so that equals holds
    }

    public double udpLoss() {
        return udpLoss;
    }

    public double udpDuplication() {
        return udpDuplication;
    }

    public double udpReordering() {
        return udpReordering;
    }

    public double corruptRate() {
        return corruptRate;
    }

    /** A copy of the offsets, sorted. */
    public long[] corruptOffsets() {
        return corruptOffsets.clone();
    }

    /** Whether the byte at this offset of the echoed stream is one of the chosen ones. */
    boolean corruptsAt(long offset) {
        return Arrays.binarySearch(corruptOffsets, offset) >= 0;
    }

    /** The first chosen offset at or after {@code from}, or -1. */
    long nextCorruptOffset(long from) {
        int i = Arrays.binarySearch(corruptOffsets, from);
        if (i < 0) {
            i = -i - 1;
        }
        return i < corruptOffsets.length ? corruptOffsets[i] : -1;
    }

    public int randomDataThenClose() {
        return randomDataThenClose;
    }

    public Duration slowClose() {
        return slowClose;
    }

    /** Whether any datagram fault is set (loss, duplication, reordering). */
    public boolean hasDatagramFaults() {
        return udpLoss > 0 || udpDuplication > 0 || udpReordering > 0;
    }

    /** Whether any fault that changes the echoed bytes is set (corruption, random data). */
    public boolean changesBytes() {
        return corruptRate > 0 || corruptOffsets.length > 0 || randomDataThenClose >= 0;
    }

    /** Appends the modifiers that build these faults, as {@code EchoBehavior.toString()} shows them. */
    public void appendTo(StringBuilder s) {
        if (udpLoss > 0) {
            s.append(".udpLoss(").append(udpLoss).append(')');
        }
        if (udpDuplication > 0) {
            s.append(".udpDuplication(").append(udpDuplication).append(')');
        }
        if (udpReordering > 0) {
            s.append(".udpReordering(").append(udpReordering).append(')');
        }
        if (corruptRate > 0) {
            s.append(".corruptRate(").append(corruptRate).append(')');
        }
        if (corruptOffsets.length > 0) {
            s.append(".corruptAt(");
            for (int i = 0; i < corruptOffsets.length; i++) {
                s.append(i == 0 ? "" : ", ").append(corruptOffsets[i]);
            }
            s.append(')');
        }
        if (randomDataThenClose >= 0) {
            s.append(".randomDataThenClose(").append(randomDataThenClose).append(')');
        }
        if (!slowClose.isZero()) {
            s.append(".slowClose(").append(Durations.format(slowClose)).append(')');
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof FaultSettings other)) {
            return false;
        }
        return Double.compare(udpLoss, other.udpLoss) == 0 && Double.compare(udpDuplication, other.udpDuplication) == 0
                && Double.compare(udpReordering, other.udpReordering) == 0
                && Double.compare(corruptRate, other.corruptRate) == 0
                && Arrays.equals(corruptOffsets, other.corruptOffsets)
                && randomDataThenClose == other.randomDataThenClose && slowClose.equals(other.slowClose);
    }

    @Override
    public int hashCode() {
        return Objects.hash(udpLoss, udpDuplication, udpReordering, corruptRate, Arrays.hashCode(corruptOffsets),
                randomDataThenClose, slowClose);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FaultSettings");
        appendTo(s);
        return s.toString();
    }
}
