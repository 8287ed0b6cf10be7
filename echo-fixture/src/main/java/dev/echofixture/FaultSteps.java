package dev.echofixture;

import dev.echofixture.internal.plans.Phases;
import dev.echofixture.internal.util.Checks;
import dev.echofixture.internal.util.Durations;
import java.time.Duration;
import java.util.Objects;

/**
 * How one connection's behaviour changes during its life, for a {@link FaultPlan}: the behaviour
 * it starts with, then steps that switch it after a time since the connection was accepted, or
 * after a number of bytes received from it. For example echo for 200 ms, then go silent:
 *
 * <pre>{@code
 * FaultSteps.startWith(EchoBehavior.echo()).after(Duration.ofMillis(200), EchoBehavior.echo().silent())
 * }</pre>
 *
 * <p>A byte step splits the bytes exactly: the first {@code n} bytes received go under the
 * behaviour before it, the rest under the new one. Bytes queued before a switch still go out as
 * they were queued. A new behaviour's {@link EchoBehavior#closeAfter(long) closeAfter} and
 * {@link EchoBehavior#resetAfter(long) resetAfter} count from the switch: {@code resetAfter(0)}
 * resets the connection as soon as the step applies (once what is queued has gone out).
 *
 * <p>An immutable value; {@code equals}, {@code hashCode} and {@code toString} are value-based.
 *
 * @since 0.1.0
 */
public final class FaultSteps {

    private final Phases phases;

    FaultSteps(Phases phases) {
        this.phases = phases;
    }

    /**
     * Steps that start with this behaviour.
     *
     * @param behavior the behaviour from accept
     * @return steps with no switch yet
     */
    public static FaultSteps startWith(EchoBehavior behavior) {
        return new FaultSteps(Phases.of(Checks.notNull(behavior, "startWith")));
    }

    /**
     * Switches to {@code behavior} this long after the connection was accepted (within the
     * timer's precision, about a millisecond).
     *
     * @param delay    more than the delay of the time step before it, at most 1 hour
     * @param behavior the behaviour from then on
     * @return new steps with this one added
     * @throws SettingException ({@code after}) if {@code delay} is negative, over an hour, or not
     *         later than the time step before it
     */
    public FaultSteps after(Duration delay, EchoBehavior behavior) {
        Checks.delay(delay, "after");
        Checks.notNull(behavior, "after");
        return new FaultSteps(phases.then(Phases.Trigger.TIME, delay.toNanos(), behavior, "after",
                "after(" + Durations.format(delay) + ", " + behavior + ")"));
    }

    /**
     * Switches to {@code behavior} once this many bytes were received from the connection.
     *
     * @param bytes    at least 1, more than the byte step before it, and not beyond the bytes at
     *                 which an earlier behaviour closes or resets the connection
     * @param behavior the behaviour from then on
     * @return new steps with this one added
     * @throws SettingException ({@code afterBytes}) for a count that could never be reached
     */
    public FaultSteps afterBytes(long bytes, EchoBehavior behavior) {
        Checks.atLeast(bytes, 1L, "afterBytes");
        Checks.notNull(behavior, "afterBytes");
        return new FaultSteps(phases.then(Phases.Trigger.BYTES, bytes, behavior, "afterBytes",
                "afterBytes(" + bytes + ", " + behavior + ")"));
    }

    Phases phases() {
        return phases;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultSteps other && phases.equals(other.phases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(phases);
    }

    /** Reads like the code that built it, for example {@code startWith(EchoBehavior.echo()).after(200ms, EchoBehavior.echo().silent())}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("startWith(").append(phases.initial()).append(')');
        for (Phases.Step step : phases.steps()) {
            s.append(step.trigger() == Phases.Trigger.TIME
                    ? ".after(" + Durations.format(Duration.ofNanos(step.amount())) : ".afterBytes(" + step.amount());
            s.append(", ").append(step.behavior()).append(')');
        }
        return s.toString();
    }
}
