#!/usr/bin/env bash
# benchmarks/run-echoload.sh: the standalone endpoint against the C reference echo server,
# both driven by the independent C harness (echoload + run.sh), interleaved, with ratios.
#
#   benchmarks/run-echoload.sh                          # 3 rounds of every scenario (~25 min)
#   ROUNDS=1 SCENARIOS="a" DURATION=2 benchmarks/run-echoload.sh   # a quick dry run
#
# What it does:
#   1. copies the harness from $BENCH_SRC (default ../shared/bench relative to the repository
#      root, or ../../shared/bench from a worktree; it stays outside the repository) into a
#      temp dir and builds refecho and echoload there;
#   2. builds echo-fixture/target/echo-fixture-standalone.jar (and, for nio-floor,
#      benchmarks/target/benchmarks.jar) if missing (BUILD=1 forces);
#   3. runs run.sh ROUNDS times for each server, interleaved (refecho, echo-fixture, refecho,
#      echo-fixture, ...), so that both see the same machine; with FLOOR=1 (the default) each
#      round also runs nio-floor, the least a Java NIO echo server does (NioFloorEchoMain in
#      benchmarks.jar, with the same JAVA_OPTS): what the JVM and the JDK cost on their own, for
#      scale (scenario g's memory above all);
#   4. prints table.py's markdown tables (medians, ratios to refecho, server CPU per unit of
#      work) and keeps the raw lines and the table in $OUT_DIR.
#
# Knobs: ROUNDS [3], FLOOR [1], JAVA [java], JAVA_OPTS [-XX:+UseSerialGC: what a JVM pinned to one core
# picks anyway, made explicit so every run uses the same], SERVER_ARGS [--max-connections 20000:
# scenario g holds 10,000 connections], OUT_DIR [benchmarks/target/echoload], BENCH_SRC, BUILD. Every run.sh knob (SCENARIOS, DURATION, WARMUP, PREWARM, PIN, QUIET_MAX,
# QUIET_WAIT, HOLD_CONNS, ...) passes through; see the header of run.sh.
#
# The contract's first line is "echo-fixture listening on tcp://...", but run.sh accepts only a
# line that starts with "listening on". So the jar runs behind a one-line filter: bash execs java
# (the server stays the process run.sh started, pinned and measured), and only java's stdout
# goes through "sed -u" to drop the "echo-fixture " prefix. The server prints nothing after
# that first line, so the filter costs nothing while measuring.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${BENCH_SRC:-}" ]; then
    # ../shared/bench from the repository root; from a git worktree one level deeper, ../../shared/bench
    for candidate in "$ROOT/../shared/bench" "$ROOT/../../shared/bench"; do
        if [ -f "$candidate/run.sh" ]; then BENCH_SRC=$(cd "$candidate" && pwd); break; fi
    done
fi
BENCH_SRC=${BENCH_SRC:-$ROOT/../shared/bench}
ROUNDS=${ROUNDS:-3}
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:--XX:+UseSerialGC}
# --max-connections: the standalone's default (1024) would accept-and-close most of scenario g's
# 10,000 idle connections; refecho has no such limit.
SERVER_ARGS=${SERVER_ARGS:---max-connections 20000}
OUT_DIR=${OUT_DIR:-$ROOT/benchmarks/target/echoload}
JAR=$ROOT/echo-fixture/target/echo-fixture-standalone.jar
FLOOR=${FLOOR:-1}
FLOOR_JAR=$ROOT/benchmarks/target/benchmarks.jar

[ -d "$BENCH_SRC" ] || { echo "run-echoload.sh: harness not found at $BENCH_SRC (set BENCH_SRC)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "run-echoload.sh: python3 is needed for table.py" >&2; exit 1; }

if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ] || { [ "$FLOOR" = 1 ] && [ ! -f "$FLOOR_JAR" ]; }; then
    modules=echo-fixture
    [ "$FLOOR" = 1 ] && modules=echo-fixture,benchmarks
    echo "run-echoload.sh: building $modules" >&2
    (cd "$ROOT" && ./mvnw -B -q package -pl "$modules" -am -DskipTests)
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/echoload.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -R "$BENCH_SRC/." "$work/bench"
chmod -R u+w "$work/bench"
make -s -C "$work/bench/c" refecho echoload >&2

mkdir -p "$OUT_DIR"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
raw=$OUT_DIR/raw-$stamp.txt
table=$OUT_DIR/table-$stamp.md
{
    echo "# run-echoload.sh $stamp on $(hostname): ROUNDS=$ROUNDS SCENARIOS=\"${SCENARIOS:-a b c d e f g h i}\" DURATION=${DURATION:-5}"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); JAVA_OPTS=$JAVA_OPTS; SERVER_ARGS=$SERVER_ARGS; jar: $JAR"
    echo "# cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(nproc) cores"
} >"$raw"

# shellcheck disable=SC2016  # $@ is expanded by the inner bash
filter='exec "$@" > >(exec sed -u "1s/^echo-fixture listening on /listening on /")'
read -r -a java_opts <<<"$JAVA_OPTS"
read -r -a server_args <<<"$SERVER_ARGS"

for round in $(seq 1 "$ROUNDS"); do
    echo "run-echoload.sh: round $round of $ROUNDS: refecho" >&2
    RUN_ID=$round OUT=$raw "$work/bench/run.sh" refecho -- "$work/bench/c/refecho" --port 0 >/dev/null
    echo "run-echoload.sh: round $round of $ROUNDS: echo-fixture" >&2
    RUN_ID=$round OUT=$raw "$work/bench/run.sh" echo-fixture -- \
        bash -c "$filter" bash "$JAVA" "${java_opts[@]}" -jar "$JAR" --port 0 --quiet "${server_args[@]}" >/dev/null
    if [ "$FLOOR" = 1 ]; then
        echo "run-echoload.sh: round $round of $ROUNDS: nio-floor" >&2
        RUN_ID=$round OUT=$raw "$work/bench/run.sh" nio-floor -- \
            "$JAVA" "${java_opts[@]}" -cp "$FLOOR_JAR" dev.echofixture.benchmarks.NioFloorEchoMain 0 >/dev/null
    fi
done

python3 "$work/bench/table.py" "$raw" | tee "$table"
echo >&2
echo "run-echoload.sh: raw lines in $raw, table in $table" >&2
