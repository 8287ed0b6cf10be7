package dev.echofixture.junit;

import dev.echofixture.DialogueEntry;
import dev.echofixture.Printable;
import java.util.List;

/**
 * A proxied connection's dialogue in a failure report: each read in order, with its time, its
 * direction ({@code >} client to upstream, {@code <} upstream to client) and its first bytes as
 * text, for example {@code dialogue: +0.4ms > "GET / HTTP/1.1..." | +2.1ms < "HTTP/1.1 200 OK..."}.
 */
final class ProxyDialogueText {

    /** Reads shown at most; the rest is counted. */
    static final int SHOWN_ENTRIES = 16;
    /** Bytes shown of each read. */
    static final int SHOWN_BYTES = 64;

    private ProxyDialogueText() {
    }

    static void append(List<DialogueEntry> dialogue, StringBuilder text) {
        if (dialogue.isEmpty()) {
            return;
        }
        text.append(", dialogue: ");
        int shown = Math.min(dialogue.size(), SHOWN_ENTRIES);
        for (int i = 0; i < shown; i++) {
            DialogueEntry entry = dialogue.get(i);
            byte[] bytes = entry.bytes();
            int n = Math.min(bytes.length, SHOWN_BYTES);
            if (i > 0) {
                text.append(" | ");
            }
            text.append('+').append(String.format(java.util.Locale.ROOT, "%.1f", entry.at().toNanos() / 1e6)).append("ms ")
                    .append(entry.direction() == DialogueEntry.Direction.TO_UPSTREAM ? "> " : "< ")
                    .append(bytes.length).append(" B \"").append(Printable.text(bytes, 0, n))
                    .append(n < bytes.length ? "...\"" : "\"");
        }
        if (dialogue.size() > shown) {
            text.append(" | ").append(dialogue.size() - shown).append(" more reads");
        }
    }
}
