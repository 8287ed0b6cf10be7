package dev.echofixture.internal.plans;

import dev.echofixture.SettingException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A fault plan's rules in the order they were written: the first that picks a connection
 * applies to it; a connection no rule picks follows the server's behaviour. Immutable.
 *
 * @param rules the rules
 */
public record PlanRules(List<PlanRule> rules) {

    private static final PlanRules NONE = new PlanRules(List.of());

    public PlanRules {
        rules = Collections.unmodifiableList(new ArrayList<>(rules));
    }

    /** No rule. */
    public static PlanRules none() {
        return NONE;
    }

    /**
     * Adds a rule at the end; rejects one that can never apply, naming {@code setting}.
     *
     * @throws SettingException if an earlier rule picks every connection this one would, or it picks none
     */
    public PlanRules with(PlanRule rule, String setting, String shown) {
        if (rule.kind() == PlanRule.Kind.PROBABILITY && rule.probability() == 0.0) {
            throw new SettingException(setting, shown + " (expected: a probability above 0; with 0 this rule could never apply)");
        }
        for (PlanRule earlier : rules) {
            if (earlier.covers(rule)) {
                throw new SettingException(setting, shown + " (expected: a rule that picks a connection the rules before it do not;"
                        + " '" + earlier.label() + "' already picks every connection this one would, so it could never apply)");
            }
        }
        List<PlanRule> more = new ArrayList<>(rules);
        more.add(rule);
        return new PlanRules(more);
    }

    /** The first rule that picks the connection with this index (0 for the first), or {@code null}. */
    public PlanRule ruleFor(long seed, int index) {
        for (PlanRule rule : rules) {
            if (rule.picks(seed, index)) {
                return rule;
            }
        }
        return null;
    }

    /** Whether there is no rule. */
    public boolean isEmpty() {
        return rules.isEmpty();
    }
}
