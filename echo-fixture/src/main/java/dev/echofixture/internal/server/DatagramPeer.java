package dev.echofixture.internal.server;

import dev.echofixture.EchoBehavior;
import dev.echofixture.EchoConnection;
import dev.echofixture.internal.conditions.Pacer;
import dev.echofixture.internal.plans.ConnectionPlan;
import dev.echofixture.internal.faults.DatagramFaults;
import dev.echofixture.internal.plans.PlanRules;
import dev.echofixture.internal.loop.Deadlines;
import dev.echofixture.internal.loop.EventLoop;
import dev.echofixture.internal.recording.ConnectionRegistry;
import dev.echofixture.internal.recording.ConnectionView;
import dev.echofixture.internal.replies.ScriptRun;
import dev.echofixture.internal.util.Durations;
import dev.echofixture.internal.util.LazyLogger;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * One UDP peer of a {@link DatagramHandler}: its public view, its {@link Pacer} (latency, seeded
 * jitter, the whole-datagram rate limit), the datagrams it holds back for their delay, and its
 * state. It owns its transitions; the handler and the {@link DatagramSender} call them:
 * <ul>
 *   <li>{@link #accept}: a datagram arrived; it is recorded and, while the peer is OPEN, echoed
 *       under the behaviour: sent at once, or held back until its send time.</li>
 *   <li>{@link #hold} and {@link #released}: the server holds one more datagram of this peer
 *       (for its delay, or for room in the send buffer; the sender bounds the total), or a held
 *       one left or was dropped.</li>
 *   <li>{@link #forget}: the peer is closed and its address unmapped.</li>
 * </ul>
 *
 * <h2>States</h2>
 * <ul>
 *   <li>{@code OPEN}: datagrams are echoed under the server's current behaviour.</li>
 *   <li>{@code CLOSING}: {@code closeAfter} was reached; what was accepted before still goes
 *       out, new datagrams are recorded but not echoed. The view is still open.</li>
 *   <li>{@code MUTED}: closed by {@code closeAfter} once nothing is held any more; the address
 *       stays mapped to this closed view, so its later datagrams are recorded there and never
 *       echoed.</li>
 *   <li>{@code FORGOTTEN}: closed by {@link EchoConnection#close()}, {@link EchoConnection#reset()},
 *       the idle time-out or the server's close; what it held back is dropped and the address is
 *       unmapped, so its next datagram opens a new connection. Its datagrams blocked in the
 *       sender are skipped.</li>
 * </ul>
 *
 * <p>Loop thread only; users see the peer through its {@link ConnectionView}, whose
 * {@code close()} and {@code reset()} run {@link #closeGracefully()} and {@link #reset()} here,
 * on the loop.
 */
final class DatagramPeer implements ConnectionView.Actions {

    enum State { OPEN, CLOSING, MUTED, FORGOTTEN }

    /** A copied datagram waiting until {@code releaseAt}, then paced at {@code bandwidth} (0: unlimited). */
    private record Delayed(byte[] data, long releaseAt, long bandwidth) {
    }

    private static final LazyLogger LOG = new LazyLogger(DatagramPeer.class);

    final SocketAddress address;
    private final ConnectionView view;
    ConnectionPlan plan; // chosen once, as the registry lists the peer; null when no fault plan picked it
    private final Pacer pacer;
    private final EventLoop loop;
    private final DatagramSender sender;
    private final Consumer<DatagramPeer> unmap;
    private final ArrayDeque<Delayed> delayed = new ArrayDeque<>();
    private State state = State.OPEN;
    /** Bytes accepted for echo so far, under any behaviour: what {@code closeAfter} compares with. */
    private long echoAccepted;
    /** Datagrams of this peer held back for their delay or waiting for room in the send buffer. */
    private int held;
    private long heldBytes;
    private ScriptRun script; // null: echo
    /** {@link System#nanoTime()} of the last datagram received from or sent to this peer. */
    private long lastActivity;
    private Deadlines.Deadline release; // of the head of delayed
    private Deadlines.Deadline idleCheck;
    private final long seed;
    /** Datagrams received from this peer: the index of the next one, which the UDP faults draw on. */
    private long datagrams;
    /** A datagram held for reordering ({@link EchoBehavior#udpReordering(double)}), or null; and its index. */
    private byte[] reordered;
    private long reorderedIndex;
    private Deadlines.Deadline reorderTimer;

    /**
     * Lists the peer in {@code registry} (its view) and seeds its pacer.
     *
     * @param unmap called once the peer is forgotten, to drop its address from the handler's map
     */
    DatagramPeer(SocketAddress address, ConnectionRegistry registry, EventLoop loop, DatagramSender sender,
                 long seed, Consumer<DatagramPeer> unmap) {
        this(address, registry, loop, sender, seed, unmap, PlanRules.none());
    }

    /** The same, with a fault plan: the peer's plan is chosen, and noted in its view, as the registry lists it. */
    DatagramPeer(SocketAddress address, ConnectionRegistry registry, EventLoop loop, DatagramSender sender,
                 long seed, Consumer<DatagramPeer> unmap, PlanRules rules) {
        this.address = address;
        this.loop = loop;
        this.sender = sender;
        this.unmap = unmap;
        this.view = rules.isEmpty() ? registry.open(address, loop, this) : registry.open(address, loop, this, null, index -> {
            plan = ConnectionPlan.of(rules, seed, index);
            return plan == null ? null : plan.behavior() + " (" + plan.label() + ")";
        });
        this.pacer = new Pacer(seed, view.index());
        this.seed = seed;
    }

    ConnectionView view() {
        return view;
    }

    State state() {
        return state;
    }

    /** Datagrams held (delayed or blocked). */
    int held() {
        return held;
    }

    /**
     * A datagram from this peer arrived at {@code now}: records it and, while OPEN and not
     * silent, echoes it whole under {@code behavior}: {@code closeAfter(n)} echoes while the
     * echoed total stays at most {@code n} and starts closing once it reaches {@code n} or a
     * datagram would exceed it (that one is not echoed). A datagram the sender has no room for
     * is dropped and not counted.
     */
    void accept(ByteBuffer datagram, EchoBehavior behavior, long now) {
        view.received(datagram);
        long index = datagrams++;
        lastActivity = now;
        if (script != null) {
            DatagramReplies.answer(this, script, datagram, behavior, now);
            return;
        }
        if (state != State.OPEN || behavior.isSilent()) {
            return;
        }
        if (behavior.hasFaults()) {
            acceptWithFaults(datagram, behavior, index, now);
        } else {
            echo(datagram, behavior, now);
        }
    }

    /** Applies the UDP faults to datagram {@code index}: drops, holds, doubles or echoes it. */
    private void acceptWithFaults(ByteBuffer datagram, EchoBehavior behavior, long index, long now) {
        DatagramFaults.Fate fate = DatagramFaults.fate(behavior, seed, view.index(), index, reordered == null);
        switch (fate) {
            case DROP -> view.fault("datagram " + index + " dropped (udpLoss)");
            case HOLD -> {
                byte[] copy = new byte[datagram.remaining()];
                datagram.get(copy);
                reordered = copy;
                reorderedIndex = index;
                reorderTimer = loop.schedule(now + DatagramFaults.REORDER_WAIT_MILLIS * 1_000_000L,
                        () -> releaseReordered(behavior, -1));
            }
            case DUPLICATE -> { // listed first, so that a peer that saw both copies finds the fault listed
                view.fault("datagram " + index + " duplicated (udpDuplication)");
                if (echo(datagram.duplicate(), behavior, now)) {
                    echo(datagram, behavior, now);
                }
            }
            default -> echo(datagram, behavior, now);
        }
        if (fate != DatagramFaults.Fate.HOLD && reordered != null) {
            cancel(reorderTimer);
            releaseReordered(behavior, index);
        }
    }

    /** Echoes the datagram held for reordering: after datagram {@code after}, or alone (-1) when none followed. */
    private void releaseReordered(EchoBehavior behavior, long after) {
        byte[] held = reordered;
        reordered = null;
        reorderTimer = null;
        if (held == null || state != State.OPEN) {
            return;
        }
        view.fault(after >= 0 // listed first, so that a peer that saw the datagram finds the fault listed
                ? "datagram " + reorderedIndex + " reordered: echoed after datagram " + after + " (udpReordering)"
                : "datagram " + reorderedIndex + " held for reordering, echoed alone after "
                        + DatagramFaults.REORDER_WAIT_MILLIS + "ms: no datagram followed (udpReordering)");
        echo(ByteBuffer.wrap(held), behavior, System.nanoTime());
    }

    /** Whether the peer still answers (not closing or muted). */
    boolean isOpen() {
        return state == State.OPEN;
    }

    /** Sets the scripted replies of this peer; right after it is made. */
    void script(ScriptRun run) {
        this.script = run;
    }

    /**
     * Echoes one datagram under the behaviour's conditions and {@code closeAfter}; whether it was
     * accepted for echo (not beyond closeAfter, and the sender had room to hold it).
     */
    boolean echo(ByteBuffer datagram, EchoBehavior behavior, long now) {
        int length = datagram.remaining();
        long closeAfter = behavior.closeAfter();
        if (state != State.OPEN) {
            return false;
        }
        if (closeAfter == 0 || (closeAfter > 0 && echoAccepted + length > closeAfter)) {
            startClosing();
            return false;
        }
        long releaseAt = pacer.releaseAt(behavior, now);
        long bandwidth = behavior.bandwidth();
        if (delayed.isEmpty() && pacer.datagramSendTime(releaseAt, length, bandwidth, now) - now <= 0) {
            pacer.datagramSent(length, bandwidth, now);
            sender.transmit(this, datagram, null);
        } else if (sender.reserve(length, this)) {
            byte[] copy = new byte[length];
            datagram.get(copy);
            delayed.add(new Delayed(copy, releaseAt, bandwidth));
            if (delayed.size() == 1) {
                scheduleRelease(now);
            }
        } else {
            return false;
        }
        echoAccepted += length;
        if (closeAfter > 0 && echoAccepted == closeAfter) {
            startClosing();
        }
        return true;
    }

    /** The server holds one more datagram of this peer; called by the sender, which bounds the total. */
    void hold(int length) {
        held++;
        heldBytes += length;
        view.notePending(heldBytes);
    }

    /** A held datagram left or was dropped; a CLOSING peer with nothing held any more is MUTED. */
    void released(int length) {
        held--;
        heldBytes -= length;
        if (state == State.CLOSING && held == 0) {
            mute();
        }
    }

    /** A datagram of {@code length} bytes was sent to this peer. */
    void sent(int length) {
        view.sent(length);
        lastActivity = System.nanoTime();
    }

    /**
     * Closes the view (unless MUTED closed it already), drops what is held back for its delay,
     * and unmaps the address. Idempotent.
     */
    void forget(String why) {
        if (state == State.FORGOTTEN) {
            return;
        }
        boolean open = state == State.OPEN || state == State.CLOSING;
        state = State.FORGOTTEN;
        cancel(release);
        cancel(idleCheck);
        cancel(reorderTimer);
        reordered = null;
        for (Delayed dropped : delayed) {
            sender.unreserve(dropped.data().length, this);
        }
        delayed.clear();
        if (open) {
            view.markClosed();
        }
        unmap.accept(this);
        LOG.get().debug("peer {} {}, forgotten", address, why);
    }

    /** Forgets the peer once it was idle for {@code idleNanos}: nothing received, sent or held. */
    void watchIdle(long idleNanos, long from) {
        idleCheck = loop.schedule(from + idleNanos, () -> checkIdle(idleNanos));
    }

    private void checkIdle(long idleNanos) {
        idleCheck = null;
        if (state != State.OPEN) {
            return;
        }
        long now = System.nanoTime();
        if (held == 0 && now - (lastActivity + idleNanos) >= 0) {
            forget("idle for " + Durations.format(Duration.ofNanos(idleNanos)));
        } else {
            watchIdle(idleNanos, held > 0 ? now : lastActivity);
        }
    }

    private void scheduleRelease(long now) {
        Delayed head = delayed.peek();
        release = loop.schedule(pacer.datagramSendTime(head.releaseAt(), head.data().length, head.bandwidth(), now),
                this::releaseDue);
    }

    /** Sends every held-back datagram whose time has come, then waits for the next. */
    private void releaseDue() {
        release = null;
        long now = System.nanoTime();
        for (Delayed head; (head = delayed.peek()) != null; ) {
            if (pacer.datagramSendTime(head.releaseAt(), head.data().length, head.bandwidth(), now) - now > 0) {
                scheduleRelease(now);
                return;
            }
            delayed.poll();
            pacer.datagramSent(head.data().length, head.bandwidth(), now);
            sender.transmit(this, ByteBuffer.wrap(head.data()), head.data());
        }
    }

    void startClosing() {
        if (state == State.OPEN) {
            state = State.CLOSING;
            LOG.get().debug("closeAfter reached for peer {}", address);
        }
        if (state == State.CLOSING && held == 0) {
            mute();
        }
    }

    private void mute() {
        state = State.MUTED;
        view.markClosed();
        cancel(idleCheck);
    }

    private static void cancel(Deadlines.Deadline deadline) {
        if (deadline != null) {
            deadline.cancel();
        }
    }

    /** Runs on the loop: UDP has no graceful close to send, so the peer is forgotten. */
    @Override
    public void closeGracefully() {
        forget("closed");
    }

    /** Runs on the loop: UDP has no reset to send, so the peer is forgotten. */
    @Override
    public void reset() {
        forget("reset");
    }

    /** A UDP peer has no close: {@link EchoConnection#awaitClosed} rejects it. */
    @Override
    public boolean isDatagram() {
        return true;
    }

    @Override
    public String toString() {
        return "DatagramPeer[" + address + ", " + state + ", " + held + " held]";
    }
}
