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
}
