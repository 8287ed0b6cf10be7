package dev.echofixture.internal.cli;

import dev.echofixture.EchoBehavior;
import dev.echofixture.FaultPlan;
import dev.echofixture.FaultSteps;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.Sizes;
import java.util.Locale;

/**
 * The standalone endpoint's compact form of a {@link FaultPlan}, for {@code --fault-plan}:
 * rules separated by {@code ;}, each {@code <which>: <behaviour>[, after D: <behaviour>]
 * [, after-bytes SIZE: <behaviour>]}, for example
 * {@code first 2: reset-after 10; every 3: echo, after 200ms: silent; probability 0.2: latency 300ms}.
 * Which: {@code first N}, {@code nth N}, {@code every K}, {@code probability P}. A behaviour is
 * {@code echo}, or words of the behaviour options without their dashes and values after them:
 * {@code latency D}, {@code jitter D}, {@code bandwidth SIZE}, {@code chunk-size SIZE},
 * {@code close-after SIZE}, {@code reset-after SIZE}, {@code silent}. Stateless.
 */
final class FaultPlanText {

    static final String OPTION = "--fault-plan";
    static final String FORM = "rules separated by ';', each '<first N|nth N|every K|probability P>: <behaviour>',"
            + " optionally followed by ', after D: <behaviour>' or ', after-bytes SIZE: <behaviour>'; a behaviour is 'echo' or"
            + " words such as 'latency 50ms', 'reset-after 10', 'close-after 0', 'silent'";

    private FaultPlanText() {
    }

    /**
     * Parses the option's value.
     *
     * @throws CommandLine.UsageException naming {@code --fault-plan}, the part at fault and the form
     * @throws IllegalArgumentException   a {@code SettingException} of the plan (a rule that could never apply)
     */
    static FaultPlan parse(String text) throws CommandLine.UsageException {
        FaultPlan plan = FaultPlan.connections();
        for (String rule : text.split(";")) {
            if (rule.isBlank()) {
                continue;
            }
            int colon = rule.indexOf(':');
            if (colon < 0) {
                throw bad(rule, "a rule '<which>: <behaviour>'");
            }
            String[] which = words(rule.substring(0, colon));
            String[] phases = rule.substring(colon + 1).split(",");
            FaultSteps steps = FaultSteps.startWith(behavior(phases[0], rule));
            for (int i = 1; i < phases.length; i++) {
                steps = step(steps, phases[i], rule);
            }
            if (which.length != 2) {
                throw bad(rule, "'first N', 'nth N', 'every K' or 'probability P' before the ':'");
            }
            plan = switch (which[0].toLowerCase(Locale.ROOT)) {
                case "first" -> plan.first(count(which[1], rule), steps);
                case "nth" -> plan.nth(count(which[1], rule), steps);
                case "every" -> plan.every(count(which[1], rule), steps);
                case "probability" -> plan.withProbability(probability(which[1], rule), steps);
                default -> throw bad(rule, "'first N', 'nth N', 'every K' or 'probability P' before the ':'");
            };
        }
        if (plan.isEmpty()) {
            throw bad(text, "at least one rule");
        }
        return plan;
    }

    private static FaultSteps step(FaultSteps steps, String phase, String rule) throws CommandLine.UsageException {
        int colon = phase.indexOf(':');
        String[] trigger = words(colon < 0 ? "" : phase.substring(0, colon));
        if (trigger.length != 2) {
            throw bad(phase, "'after D: <behaviour>' or 'after-bytes SIZE: <behaviour>' after a ','");
        }
        EchoBehavior behavior = behavior(phase.substring(colon + 1), rule);
        try {
            return switch (trigger[0].toLowerCase(Locale.ROOT)) {
                case "after" -> steps.after(Durations.parse(trigger[1], OPTION), behavior);
                case "after-bytes" -> steps.afterBytes(Sizes.parse(trigger[1], OPTION), behavior);
                default -> throw bad(phase, "'after D: <behaviour>' or 'after-bytes SIZE: <behaviour>' after a ','");
            };
        } catch (CommandLine.UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(OPTION + ": '" + rule.trim() + "': " + e.getMessage());
        }
    }

    private static EchoBehavior behavior(String text, String rule) throws CommandLine.UsageException {
        String[] w = words(text);
        if (w.length == 0) {
            throw bad(rule, "a behaviour after the ':', such as 'echo' or 'reset-after 10'");
        }
        EchoBehavior b = EchoBehavior.echo();
        try {
            for (int i = 0; i < w.length; i++) {
                String word = w[i].toLowerCase(Locale.ROOT);
                switch (word) {
                    case "echo" -> { }
                    case "silent" -> b = b.silent();
                    default -> {
                        if (i + 1 >= w.length) {
                            throw bad(rule, "a value after '" + word + "'");
                        }
                        String value = w[++i];
                        b = switch (word) {
                            case "latency" -> b.latency(Durations.parse(value, OPTION));
                            case "jitter" -> b.jitter(Durations.parse(value, OPTION));
                            case "bandwidth" -> b.bandwidth(Sizes.parse(value, OPTION));
                            case "chunk-size" -> b.chunkSize((int) Sizes.parse(value, OPTION, Integer.MAX_VALUE));
                            case "close-after" -> b.closeAfter(Sizes.parse(value, OPTION));
                            case "reset-after" -> b.resetAfter(Sizes.parse(value, OPTION));
                            default -> throw bad(rule, "a behaviour word (echo, latency, jitter, bandwidth, chunk-size,"
                                    + " close-after, reset-after, silent), not '" + word + "'");
                        };
                    }
                }
            }
        } catch (CommandLine.UsageException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageException(OPTION + ": '" + rule.trim() + "': " + e.getMessage());
        }
        return b;
    }

    private static int count(String text, String rule) throws CommandLine.UsageException {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw bad(rule, "a whole number such as 2 after 'first', 'nth' or 'every', not '" + text + "'");
        }
    }

    private static double probability(String text, String rule) throws CommandLine.UsageException {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw bad(rule, "a probability such as 0.2 after 'probability', not '" + text + "'");
        }
    }

    private static String[] words(String text) {
        String trimmed = text.trim();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }

    private static CommandLine.UsageException bad(String part, String expected) {
        return new CommandLine.UsageException(OPTION + ": '" + part.trim() + "' (expected: " + expected + "; the form: " + FORM + ")");
    }
}
