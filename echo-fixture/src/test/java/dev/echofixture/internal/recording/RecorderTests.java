package dev.echofixture.internal.recording;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RecorderTests {

    @Test
    void keepsTheFirstLimitBytesInOrderWithoutMovingTheBuffer() {
        Recorder recorder = Recorder.withLimit(10);
        ByteBuffer first = ByteBuffer.wrap(new byte[] {1, 2, 3});
        recorder.record(first);
        assertEquals(0, first.position(), "the caller's buffer is untouched");
        assertFalse(recorder.isFull());
        recorder.record(ByteBuffer.wrap(new byte[] {4, 5, 6, 7, 8, 9, 10, 11, 12}));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, recorder.snapshot());
        assertTrue(recorder.isFull());
        recorder.record(ByteBuffer.wrap(new byte[] {13}));
        assertEquals(10, recorder.snapshot().length);
    }

    @Test
    void growsAcrossManySmallRecordsAndRecordsNothingAtLimitZero() {
        Recorder recorder = Recorder.withLimit(100_000);
        byte[] expected = new byte[70_000];
        for (int i = 0; i < expected.length; i += 7) {
            byte[] piece = new byte[7];
            Arrays.fill(piece, (byte) i);
            System.arraycopy(piece, 0, expected, i, 7);
            recorder.record(ByteBuffer.wrap(piece));
        }
        assertArrayEquals(expected, recorder.snapshot());
        Recorder none = Recorder.withLimit(0);
        none.record(ByteBuffer.wrap(new byte[] {1}));
        assertEquals(0, none.snapshot().length);
        assertTrue(none.isFull());
        assertSame(none, Recorder.withLimit(0), "a server that records nothing keeps no recorder per connection");
    }
}
