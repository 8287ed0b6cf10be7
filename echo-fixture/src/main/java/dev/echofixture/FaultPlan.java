package dev.echofixture;

import dev.echofixture.internal.plans.PlanRule;
import dev.echofixture.internal.plans.PlanRules;
import dev.echofixture.internal.util.Checks;
import java.util.Objects;

/**
 * Which connections fail, and how: a behaviour (or {@link FaultSteps}) per connection, chosen
 * once when the server accepts it. For example, the first two connections are reset after 10
 * bytes, every later one echoes:
 *
 * <pre>{@code
 * FaultPlan plan = FaultPlan.connections().first(2, EchoBehavior.echo().resetAfter(10));
 * EmbeddedEchoServer server = EmbeddedEchoServer.builder().faultPlan(plan).start();
 * }</pre>
 *
 * <p>Connections are counted from 1 in the order the server accepts them (the first is
 * {@code nth(1)}, shown as {@code #0} by an {@link EchoConnection}'s {@code toString()}); over UDP a peer
 * counts as a connection, in the order of its first datagram. The rules are tried in the order
 * they were written and the first that picks a connection applies; a connection no rule picks
 * follows the server's behaviour, including a switch by
 * {@link EmbeddedEchoServer#behavior(EchoBehavior)}, which does not change a connection a rule
 * picked. Every connection counts, the JUnit extension's injected client too (as connection 1
 * if nothing connected before it).
 *
 * <p>{@link #withProbability(double, EchoBehavior)} draws from the server's
 * {@linkplain EmbeddedEchoServer#seed() seed} and the connection's number only (a random stream
 * apart from jitter's): the same seed picks the same connections. Each connection's
 * {@link EchoConnection#faults()} says which rule picked it and what it did.
 *
 * <p>A rule that could never apply (one that an earlier rule covers, a probability of 0) fails
 * here, as do a count below 1 and a probability outside 0 to 1: a {@link SettingException}
 * naming the method. A plan whose behaviours the transport cannot carry out fails at
 * {@code start()}, naming {@code faultPlan}.
 *
 * <p>An immutable value; {@code equals}, {@code hashCode} and {@code toString} are value-based.
 *
 * @since 0.1.0
 */
public final class FaultPlan {

    private static final FaultPlan NONE = new FaultPlan(PlanRules.none());

    private final PlanRules rules;

    FaultPlan(PlanRules rules) {
        this.rules = rules;
    }

    /**
     * A plan with no rule yet: every connection follows the server's behaviour.
     *
     * @return the empty plan
     */
    public static FaultPlan connections() {
        return NONE;
    }

    /**
     * The first {@code n} connections get {@code behavior}.
     *
     * @param n        at least 1
     * @param behavior their behaviour
     * @return a new plan with this rule added
     * @throws SettingException ({@code first}) if {@code n} is below 1 or an earlier rule covers it
     */
    public FaultPlan first(int n, EchoBehavior behavior) {
        return first(n, FaultSteps.startWith(Checks.notNull(behavior, "first")));
    }

    /**
     * The first {@code n} connections follow {@code steps}.
     *
     * @param n     at least 1
     * @param steps their behaviour over time
     * @return a new plan with this rule added
     * @throws SettingException ({@code first}) if {@code n} is below 1 or an earlier rule covers it
     */
    public FaultPlan first(int n, FaultSteps steps) {
        return add(PlanRule.Kind.FIRST, Checks.atLeast(n, 1, "first"), 0, steps, "first");
    }

    /**
     * The {@code n}-th connection (1 for the first) gets {@code behavior}.
     *
     * @param n        at least 1
     * @param behavior its behaviour
     * @return a new plan with this rule added
     * @throws SettingException ({@code nth}) if {@code n} is below 1 or an earlier rule covers it
     */
    public FaultPlan nth(int n, EchoBehavior behavior) {
        return nth(n, FaultSteps.startWith(Checks.notNull(behavior, "nth")));
    }

    /**
     * The {@code n}-th connection (1 for the first) follows {@code steps}.
     *
     * @param n     at least 1
     * @param steps its behaviour over time
     * @return a new plan with this rule added
     * @throws SettingException ({@code nth}) if {@code n} is below 1 or an earlier rule covers it
     */
    public FaultPlan nth(int n, FaultSteps steps) {
        return add(PlanRule.Kind.NTH, Checks.atLeast(n, 1, "nth"), 0, steps, "nth");
    }

    /**
     * Every {@code k}-th connection (the {@code k}-th, the {@code 2k}-th, ...) gets {@code behavior}.
     *
     * @param k        at least 1; 1 picks every connection
     * @param behavior their behaviour
     * @return a new plan with this rule added
     * @throws SettingException ({@code every}) if {@code k} is below 1 or an earlier rule covers it
     */
    public FaultPlan every(int k, EchoBehavior behavior) {
        return every(k, FaultSteps.startWith(Checks.notNull(behavior, "every")));
    }

    /**
     * Every {@code k}-th connection follows {@code steps}.
     *
     * @param k     at least 1; 1 picks every connection
     * @param steps their behaviour over time
     * @return a new plan with this rule added
     * @throws SettingException ({@code every}) if {@code k} is below 1 or an earlier rule covers it
     */
    public FaultPlan every(int k, FaultSteps steps) {
        return add(PlanRule.Kind.EVERY, Checks.atLeast(k, 1, "every"), 0, steps, "every");
    }

    /**
     * Each connection gets {@code behavior} with this probability, drawn from the server's seed
     * and the connection's number.
     *
     * @param p        above 0, at most 1
     * @param behavior the behaviour of the connections drawn
     * @return a new plan with this rule added
     * @throws SettingException ({@code withProbability}) if {@code p} is not above 0 and at most 1
     */
    public FaultPlan withProbability(double p, EchoBehavior behavior) {
        return withProbability(p, FaultSteps.startWith(Checks.notNull(behavior, "withProbability")));
    }

    /**
     * Each connection follows {@code steps} with this probability, drawn from the server's seed
     * and the connection's number.
     *
     * @param p     above 0, at most 1
     * @param steps the behaviour over time of the connections drawn
     * @return a new plan with this rule added
     * @throws SettingException ({@code withProbability}) if {@code p} is not above 0 and at most 1
     */
    public FaultPlan withProbability(double p, FaultSteps steps) {
        if (!(p >= 0.0 && p <= 1.0)) {
            throw new SettingException("withProbability", p + " (expected: a probability above 0 and at most 1)");
        }
        return add(PlanRule.Kind.PROBABILITY, 0, p, steps, "withProbability");
    }

    private FaultPlan add(PlanRule.Kind kind, int n, double p, FaultSteps steps, String setting) {
        Checks.notNull(steps, setting);
        PlanRule rule = new PlanRule(kind, n, p, steps.phases());
        String shown = setting + "(" + (kind == PlanRule.Kind.PROBABILITY ? String.valueOf(p) : String.valueOf(n)) + ", " + steps + ")";
        return new FaultPlan(rules.with(rule, setting, shown));
    }

    /**
     * Whether this plan has no rule.
     *
     * @return {@code true} for {@link #connections()} with nothing added
     */
    public boolean isEmpty() {
        return rules.isEmpty();
    }

    PlanRules rules() {
        return rules;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FaultPlan other && rules.equals(other.rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(rules);
    }

    /** Reads like the code that built it, for example {@code FaultPlan.connections().first(2, startWith(EchoBehavior.echo().resetAfter(10)))}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("FaultPlan.connections()");
        for (PlanRule rule : rules.rules()) {
            String name = switch (rule.kind()) {
                case FIRST -> "first";
                case NTH -> "nth";
                case EVERY -> "every";
                case PROBABILITY -> "withProbability";
            };
            s.append('.').append(name).append('(')
                    .append(rule.kind() == PlanRule.Kind.PROBABILITY ? String.valueOf(rule.probability()) : String.valueOf(rule.n()))
                    .append(", ").append(new FaultSteps(rule.phases())).append(')');
        }
        return s.toString();
    }
}
