package dev.echofixture.internal.plans;

import dev.echofixture.EchoBehavior;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of one connection, chosen once at accept: its behaviour now and the steps still to
 * come. Mutable; owned by the connection's loop thread.
 */
public final class ConnectionPlan {

    private final PlanRule rule;
    private final List<Phases.Step> timeSteps = new ArrayList<>();
    private final List<Phases.Step> byteSteps = new ArrayList<>();
    private EchoBehavior behavior;
    private int nextTime;
    private int nextBytes;

    private ConnectionPlan(PlanRule rule) {
        this.rule = rule;
        this.behavior = rule.phases().initial();
        for (Phases.Step step : rule.phases().steps()) {
            (step.trigger() == Phases.Trigger.TIME ? timeSteps : byteSteps).add(step);
        }
    }

    /** The plan for the connection with this index (0 for the first), or {@code null} if no rule picks it. */
    public static ConnectionPlan of(PlanRules rules, long seed, int index) {
        if (rules == null || rules.isEmpty()) {
            return null;
        }
        PlanRule rule = rules.ruleFor(seed, index);
        return rule == null ? null : new ConnectionPlan(rule);
    }

    /** The behaviour in force. */
    public EchoBehavior behavior() {
        return behavior;
    }

    /** For the record, for example {@code plan: first 2}. */
    public String label() {
        return "plan: " + rule.label();
    }

    /** The next time step, or {@code null}. */
    public Phases.Step nextTimeStep() {
        return nextTime < timeSteps.size() ? timeSteps.get(nextTime) : null;
    }

    /** The next byte step, or {@code null}. */
    public Phases.Step nextByteStep() {
        return nextBytes < byteSteps.size() ? byteSteps.get(nextBytes) : null;
    }

    /** Applies the next time step; returns it. */
    public Phases.Step takeTimeStep() {
        Phases.Step step = timeSteps.get(nextTime++);
        behavior = step.behavior();
        return step;
    }

    /** Applies the next byte step; returns it. */
    public Phases.Step takeByteStep() {
        Phases.Step step = byteSteps.get(nextBytes++);
        behavior = step.behavior();
        return step;
    }
}
