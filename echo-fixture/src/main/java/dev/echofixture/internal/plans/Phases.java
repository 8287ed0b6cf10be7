package dev.echofixture.internal.plans;

import dev.echofixture.EchoBehavior;
import dev.echofixture.SettingException;
import dev.echofixture.internal.conditions.Pacer;
import dev.echofixture.internal.util.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A connection's behaviour over its life: the behaviour it starts with, then steps that switch
 * it after a time since accept or after a number of bytes received. Immutable; each step is
 * checked to be able to apply (later than the step before it of its kind, and not beyond a
 * close or reset the behaviour before it already does).
 *
 * @param initial the behaviour from accept
 * @param steps   the switches, in the order they were added
 */
public record Phases(EchoBehavior initial, List<Step> steps) {

    /** What triggers a step. */
    public enum Trigger { TIME, BYTES }

    /**
     * One switch.
     *
     * @param trigger  after a time or after a byte count
     * @param amount   nanoseconds since accept, or bytes received
     * @param behavior the behaviour from then on
     */
    public record Step(Trigger trigger, long amount, EchoBehavior behavior) {

        /** For example {@code after 200ms} or {@code after 1024 bytes}. */
        public String describe() {
            return trigger == Trigger.TIME ? "after " + Durations.format(Duration.ofNanos(amount)) : "after " + amount + " bytes";
        }
    }

    public Phases {
        steps = Collections.unmodifiableList(new ArrayList<>(steps));
    }

    /** Starts with {@code initial} and never changes. */
    public static Phases of(EchoBehavior initial) {
        return new Phases(initial, List.of());
    }

    /**
     * Adds a step; rejects one that can never apply, naming {@code setting}.
     *
     * @throws SettingException if the step comes no later than the one before it of its kind, or
     *         after the bytes at which an earlier behaviour already ends the connection
     */
    public Phases then(Trigger trigger, long amount, EchoBehavior behavior, String setting, String shown) {
        long last = -1;
        for (Step s : steps) {
            if (s.trigger == trigger) {
                last = s.amount;
            }
        }
        if (amount <= last) {
            throw new SettingException(setting, shown + " (expected: later than the step before it, " + lastShown(trigger, last)
                    + "; steps of one kind apply in order, so this one could never apply)");
        }
        if (trigger == Trigger.BYTES) {
            long endsAt = bytesAtWhichEnded();
            if (endsAt >= 0 && amount > endsAt) {
                throw new SettingException(setting, shown + " (expected: at most " + endsAt
                        + " bytes: an earlier behaviour ends the connection there, so this step could never apply)");
            }
        }
        List<Step> more = new ArrayList<>(steps);
        more.add(new Step(trigger, amount, behavior));
        return new Phases(initial, more);
    }

    /** The bytes received at which the initial behaviour closes or resets, when no byte step came before; else -1. */
    private long bytesAtWhichEnded() {
        long offset = 0;
        EchoBehavior current = initial;
        for (Step s : steps) {
            if (s.trigger == Trigger.BYTES) {
                offset = s.amount;
                current = s.behavior;
            }
        }
        long limit = Pacer.limitOf(current);
        boolean timed = steps.stream().anyMatch(s -> s.trigger == Trigger.TIME);
        return limit < 0 || timed ? -1 : offset + limit; // a time step may lift the limit first
    }

    private static String lastShown(Trigger trigger, long last) {
        return trigger == Trigger.TIME ? Durations.format(Duration.ofNanos(last)) : last + " bytes";
    }

    /** Every behaviour this may apply, for the transport check. */
    public List<EchoBehavior> behaviors() {
        List<EchoBehavior> all = new ArrayList<>();
        all.add(initial);
        for (Step s : steps) {
            all.add(s.behavior);
        }
        return all;
    }

    /** Whether anything changes after accept. */
    public boolean hasSteps() {
        return !steps.isEmpty();
    }
}
