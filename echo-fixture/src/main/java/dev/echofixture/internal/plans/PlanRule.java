package dev.echofixture.internal.plans;

/**
 * One rule of a fault plan: which connections it picks (by their accept order, counted from 1,
 * or by a draw from the seed) and the phases it gives them.
 *
 * @param kind        how it picks
 * @param n           the count or position ({@code FIRST}, {@code NTH}, {@code EVERY}); 0 for {@code PROBABILITY}
 * @param probability the chance per connection ({@code PROBABILITY}); 0 otherwise
 * @param phases      what a picked connection does
 */
public record PlanRule(Kind kind, int n, double probability, Phases phases) {

    /** How a rule picks connections. */
    public enum Kind { FIRST, NTH, EVERY, PROBABILITY }

    /** Whether it picks the connection with this index (0 for the first accepted). */
    public boolean picks(long seed, int index) {
        int number = index + 1;
        return switch (kind) {
            case FIRST -> number <= n;
            case NTH -> number == n;
            case EVERY -> number % n == 0;
            case PROBABILITY -> PlanDraw.uniform(seed, index, 0) < probability;
        };
    }

    /** Whether it picks every connection this one does (so that a later {@code other} could never apply). */
    public boolean covers(PlanRule other) {
        if ((kind == Kind.EVERY && n == 1) || (kind == Kind.PROBABILITY && probability >= 1.0)) {
            return true;
        }
        return switch (kind) {
            case FIRST -> (other.kind == Kind.FIRST || other.kind == Kind.NTH) && other.n <= n;
            case NTH -> other.kind == Kind.NTH && other.n == n;
            case EVERY -> (other.kind == Kind.EVERY || other.kind == Kind.NTH) && other.n % n == 0;
            case PROBABILITY -> false;
        };
    }

    /** For example {@code first 2}, {@code nth 5}, {@code every 3}, {@code probability 0.2}. */
    public String label() {
        return switch (kind) {
            case FIRST -> "first " + n;
            case NTH -> "nth " + n;
            case EVERY -> "every " + n;
            case PROBABILITY -> "probability " + probability;
        };
    }
}
