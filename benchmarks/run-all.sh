#!/usr/bin/env bash
# benchmarks/run-all.sh: builds, then runs every benchmark of issue 9 beside its floor or peer in
# the same run, and prints one table of ratios against the targets.
#
#   benchmarks/run-all.sh                      # everything, 16 min on a quiet 2-core machine, longer on a busy one
#   PARTS="startup first" benchmarks/run-all.sh    # a subset: startup first extension echo
#
# Parts, each measured beside its floor or peer in the same run:
#   startup    JMH StartupBenchmark: start()+close() per transport (tcp, udp, unix) and the bare
#              ServerSocketChannel open+bind+close floor (plus UDP/UNIX floors), STARTUP_ROUNDS
#              separate JMH runs [3]; the ratio is the median over rounds of (server / floor)
#   first      FirstStartMain: the first start()+close() in a fresh JVM vs a fresh JVM that only
#              binds and closes a ServerSocketChannel, FIRST_RUNS pairs [12], interleaved
#   extension  ExtensionOverheadMain: 1,000 @EchoServer tests (server + injected client) vs
#              1,000 empty tests through the JUnit Platform Launcher, EXT_ROUNDS [9] measured
#              rounds after a warm-up that lasts until the JIT is quiet (at most EXT_WARMUP [60]
#              rounds), in EXT_JVMS [3] JVMs one after the other; the median over the JVMs
#   echo       run-echoload.sh: the standalone endpoint vs the C reference refecho from
#              ../shared/bench, ECHO_ROUNDS [5] interleaved rounds of scenarios ECHO_SCENARIOS
#              ["a b d f g"], each round also with nio-floor (the least a Java NIO echo server
#              does; FLOOR=0 leaves it out); QUIET_WAIT [30] and NOISE_RETRIES [1] are passed to run.sh so that a
#              machine that never gets quiet does not stall the run (the lines say how busy it was)
#
# Output: the table on stdout (also $OUT_DIR/summary.md), raw results in $OUT_DIR
# [benchmarks/target/run-all]. BUILD=0 skips the build. Every step is bounded in time.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PARTS=${PARTS:-"startup first extension echo"}
OUT_DIR=${OUT_DIR:-$ROOT/benchmarks/target/run-all}
STARTUP_ROUNDS=${STARTUP_ROUNDS:-3}
STARTUP_JMH_ARGS=${STARTUP_JMH_ARGS:-"-wi 3 -w 1 -i 3 -r 2"}
FIRST_RUNS=${FIRST_RUNS:-12}
EXT_ROUNDS=${EXT_ROUNDS:-9}
EXT_WARMUP=${EXT_WARMUP:-60}
EXT_JVMS=${EXT_JVMS:-3}
ECHO_ROUNDS=${ECHO_ROUNDS:-5}
ECHO_SCENARIOS=${ECHO_SCENARIOS:-"a b d f g"}
JAVA=${JAVA:-java}
JAR=$ROOT/benchmarks/target/benchmarks.jar

has() { case " $PARTS " in *" $1 "*) return 0;; *) return 1;; esac; }
note() { echo "run-all.sh: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

rm -rf "$OUT_DIR"
mkdir -p "$OUT_DIR"
{
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet 2>/dev/null || echo '+changes')"
    echo "java=$("$JAVA" -version 2>&1 | head -1 | tr -d '"')"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
    echo "parts=$PARTS"
} >"$OUT_DIR/meta.txt"

if [ "${BUILD:-1}" = 1 ]; then
    note "building (echo-fixture standalone jar, benchmarks.jar)"
    ./mvnw -B -o -q package -pl echo-fixture,benchmarks -am -DskipTests >&2
fi

if has startup; then
    for round in $(seq 1 "$STARTUP_ROUNDS"); do
        note "startup: JMH round $round of $STARTUP_ROUNDS (load $(load))"
        echo "startup_round_${round}_load=$(load)" >>"$OUT_DIR/meta.txt"
        # shellcheck disable=SC2086  # STARTUP_JMH_ARGS is a list of options
        timeout 900 "$JAVA" -jar "$JAR" StartupBenchmark $STARTUP_JMH_ARGS \
            -rf json -rff "$OUT_DIR/startup-$round.json" >"$OUT_DIR/startup-$round.log" 2>&1
    done
fi

if has first; then
    note "first: $FIRST_RUNS fresh JVM pairs (load $(load))"
    echo "first_load=$(load)" >>"$OUT_DIR/meta.txt"
    timeout 900 "$JAVA" -cp "$JAR" dev.echofixture.benchmarks.FirstStartMain "$FIRST_RUNS" >"$OUT_DIR/first.txt"
fi

if has extension; then
    note "extension: $EXT_JVMS JVMs, each warm-up then $EXT_ROUNDS rounds of 3 x 1,000 tests (load $(load))"
    echo "extension_load=$(load)" >>"$OUT_DIR/meta.txt"
    # one JVM settles at a faster or a slower level than the next (thread placement, JIT): several
    # JVMs, one after the other, and the median of their results
    : >"$OUT_DIR/extension.txt"
    for jvm in $(seq 1 "$EXT_JVMS"); do
        echo "# JVM $jvm of $EXT_JVMS (load $(load))" >>"$OUT_DIR/extension.txt"
        timeout 1200 "$JAVA" -cp "$JAR" dev.echofixture.benchmarks.ExtensionOverheadMain "$EXT_ROUNDS" "$EXT_WARMUP" \
            >>"$OUT_DIR/extension.txt"
    done
fi

if has echo; then
    note "echo: $ECHO_ROUNDS round(s) of scenarios $ECHO_SCENARIOS against refecho (load $(load))"
    echo "echo_load=$(load)" >>"$OUT_DIR/meta.txt"
    ROUNDS=$ECHO_ROUNDS SCENARIOS=$ECHO_SCENARIOS QUIET_WAIT=${QUIET_WAIT:-30} NOISE_RETRIES=${NOISE_RETRIES:-1} \
        OUT_DIR="$OUT_DIR/echoload" BUILD=0 timeout 3600 "$ROOT/benchmarks/run-echoload.sh" >"$OUT_DIR/echoload.md"
    cp "$OUT_DIR"/echoload/raw-*.txt "$OUT_DIR/echoload-raw.txt"
fi

echo "end_load=$(load)" >>"$OUT_DIR/meta.txt"
python3 "$ROOT/benchmarks/summarize.py" "$OUT_DIR" | tee "$OUT_DIR/summary.md"
