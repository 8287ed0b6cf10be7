package dev.echofixture.internal.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Regression (issue 12, item 5): a repeated failure is logged once per episode, with a count. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EpisodeTests {

    @Test
    void onlyTheFirstOccurrenceOfAnEpisodeIsToBeLogged() {
        Episode episode = new Episode();
        assertFalse(episode.isOngoing());
        assertTrue(episode.occurred(1_000_000_000L), "the first occurrence starts the episode");
        for (int i = 1; i < 50; i++) {       // an accept failing every 100 ms for 5 s
            assertFalse(episode.occurred(1_000_000_000L + i * 100_000_000L));
        }
        assertTrue(episode.isOngoing());
        assertEquals(50, episode.count());
        assertEquals(5_000, episode.millisSinceStart(6_000_000_000L));
    }

    @Test
    void endingAnEpisodeMakesTheNextOccurrenceStartANewOne() {
        Episode episode = new Episode();
        episode.occurred(0);
        episode.occurred(1);
        episode.end();
        assertFalse(episode.isOngoing());
        assertEquals(0, episode.count());
        assertTrue(episode.occurred(2), "a new episode is logged again");
        assertEquals(1, episode.count());
    }

    private static final long MS = 1_000_000L;

    /**
     * Regression (issue 19, item 9): a server at its descriptor limit flaps (an accept fails, the
     * retry 100 ms later accepts one, the next fails again): that is one episode, logged once
     * when it starts and once, with the count, when accepts have worked for a second.
     */
    @Test
    void aFlappingFailureIsOneEpisodeThatEndsAfterASecondWithoutFailures() {
        Episode episode = new Episode(1_000 * MS);
        int starts = 0;
        int ends = 0;
        long failures = 0;
        long now = 0;
        for (int i = 0; i < 30; i++) {              // 3 s at the limit: fail, accept one 100 ms later, fail...
            if (episode.occurred(now)) {
                starts++;
            }
            failures++;
            now += 100 * MS;
            episode.succeeded(now);
            assertTrue(episode.isSettling());
            if (episode.endIfSettled(now)) {
                ends++;
            }
            now += 10 * MS;
        }
        assertEquals(1, starts, "one line when the episode starts");
        assertEquals(0, ends, "no end while accepts keep failing within a second of working");
        assertTrue(episode.isOngoing());
        long lastFailureRecovered = now - 10 * MS;
        // accepts work from here on: checked back while the quiet second goes on
        assertFalse(episode.succeeded(now), "a quiet period is going on already");
        assertFalse(episode.endIfSettled(lastFailureRecovered + 999 * MS));
        assertEquals(lastFailureRecovered + 1_000 * MS, episode.settlesAt());
        assertTrue(episode.endIfSettled(lastFailureRecovered + 1_000 * MS), "one line when it ends");
        assertEquals(failures, episode.endedCount(), "with the count of failures of the whole episode");
        assertEquals((lastFailureRecovered) / MS, episode.endedMillis());
        assertFalse(episode.isOngoing());
        assertFalse(episode.endIfSettled(lastFailureRecovered + 5_000 * MS), "ended once");
        assertTrue(episode.occurred(lastFailureRecovered + 6_000 * MS), "a later failure starts a new episode");
        assertEquals(1, episode.count());
    }

    @Test
    void aFailureDuringTheQuietSecondCancelsIt() {
        Episode episode = new Episode(1_000 * MS);
        episode.occurred(0);
        assertTrue(episode.succeeded(100 * MS), "the first success starts the quiet period");
        assertFalse(episode.occurred(900 * MS), "the episode goes on: nothing to log");
        assertFalse(episode.isSettling());
        assertFalse(episode.endIfSettled(1_100 * MS), "the quiet period was cancelled");
        assertTrue(episode.succeeded(1_000 * MS));
        assertFalse(episode.endIfSettled(1_999 * MS));
        assertTrue(episode.endIfSettled(2_000 * MS));
        assertEquals(2, episode.endedCount());
        assertEquals(1_000, episode.endedMillis());
    }

    @Test
    void successesWithoutAnEpisodeDoNothing() {
        Episode episode = new Episode(1_000 * MS);
        assertFalse(episode.succeeded(0));
        assertFalse(episode.isSettling());
        assertFalse(episode.endIfSettled(5_000 * MS));
    }
}
