#!/usr/bin/env python3
"""One table of ratios from a benchmarks/run-all.sh output folder.

usage: benchmarks/summarize.py OUT_DIR

Reads what run-all.sh left in OUT_DIR (meta.txt, startup-N.json, first.txt, extension.txt,
echoload-raw.txt; missing parts are skipped) and prints a markdown table: each figure, its
floor or peer measured in the same run, the ratio, issue 9's target and whether it is met.
"""
import json
import os
import shlex
import statistics
import sys


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def fmt(value, unit="", digits=1):
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def verdict(ratio, target, higher_is_better=False):
    if ratio is None:
        return "n/a"
    ok = ratio >= target if higher_is_better else ratio <= target
    return "met" if ok else "**missed**"


def read_meta(out):
    meta = {}
    path = os.path.join(out, "meta.txt")
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                if "=" in line:
                    key, value = line.rstrip("\n").split("=", 1)
                    meta[key] = value
    return meta


def startup_rows(out):
    rounds = []
    n = 1
    while os.path.exists(os.path.join(out, f"startup-{n}.json")):
        with open(os.path.join(out, f"startup-{n}.json")) as f:
            results = json.load(f)
        per = {}
        for r in results:
            name = r["benchmark"].rsplit(".", 1)[1]
            pct = r["primaryMetric"]["scorePercentiles"]
            per[name] = (pct["50.0"], pct["90.0"])
        rounds.append(per)
        n += 1
    if not rounds:
        return []
    rows = []
    for transport, own_floor in (("tcp", "floor"), ("udp", "floorUdp"), ("unix", "floorUnix")):
        for which, index, target in (("median", 0, 3.0), ("p90", 1, 6.0)):
            ratios = [r[transport][index] / r["floor"][index] for r in rounds if transport in r and "floor" in r]
            own = [r[transport][index] / r[own_floor][index] for r in rounds if transport in r and own_floor in r]
            ratio = median(ratios)
            rows.append((
                f"warm start+close {transport.upper()}, {which} (JMH SampleTime, {len(rounds)} rounds)",
                fmt(median([r[transport][index] for r in rounds if transport in r]), " µs"),
                "bare ServerSocketChannel open+bind+close " + fmt(median([r["floor"][index] for r in rounds]), " µs"),
                fmt(ratio, "x", 2) + (f" (vs own floor {own_floor}: {fmt(median(own), 'x', 2)})" if transport != "tcp" else ""),
                f"<= {target:g}x",
                verdict(ratio, target)))
    return rows


def result_line(path, tag):
    if not os.path.exists(path):
        return None
    with open(path) as f:
        for line in f:
            if line.startswith("RESULT " + tag + " "):
                return dict(token.split("=", 1) for token in line.split()[2:])
    return None


def first_rows(out):
    kv = result_line(os.path.join(out, "first.txt"), "first")
    if not kv:
        return []

    def values(key):
        return [float(v) for v in kv[key].split(",") if v]

    server, bare = values("server_ms"), values("bare_ms")
    server_wall, bare_wall = values("server_wall_ms"), values("bare_wall_ms")
    ratio = median(server) / median(bare)
    wall_ratio = median(server_wall) / median(bare_wall)
    rows = [
        (f"first start+close in a fresh JVM, in-JVM time (median of {len(server)})", fmt(median(server), " ms"),
         "first bare open+bind+close in a fresh JVM " + fmt(median(bare), " ms"), fmt(ratio, "x", 2), "<= 1.5x",
         verdict(ratio, 1.5)),
        (f"the same, whole JVM launch to exit (median of {len(server)})", fmt(median(server_wall), " ms"),
         "JVM that only binds and closes " + fmt(median(bare_wall), " ms"), fmt(wall_ratio, "x", 2), "<= 1.5x",
         verdict(wall_ratio, 1.5)),
    ]
    if "selector_ms" in kv:  # for scale: the least any selector-based server does on its first start
        selector = values("selector_ms")
        rows.append(("for scale: a minimal selector server's first start+close (bind, selector, register, one "
                     "thread), in-JVM", fmt(median(selector), " ms"), "first bare open+bind+close " + fmt(median(bare), " ms"),
                     fmt(median(selector) / median(bare), "x", 2), "", ""))
    return rows


def result_lines(path, tag):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [dict(token.split("=", 1) for token in line.split()[2:])
                for line in f if line.startswith("RESULT " + tag + " ")]


def extension_rows(out):
    """One RESULT line per JVM (run-all.sh runs EXT_JVMS of them): the medians over the JVMs."""
    runs = result_lines(os.path.join(out, "extension.txt"), "extension")
    if not runs:
        return []

    def med(key):
        values = [float(r[key]) for r in runs if key in r and r[key] != "nan"]
        return median(values) if values else None

    def each(key):
        return ", ".join(fmt(float(r[key]) / 1000, "", 3) for r in runs if key in r and r[key] != "nan")

    empty = med("empty_us")
    server = med("server_added_us")
    client = med("client_added_us")
    quiet = sum(1 for r in runs if r.get("jit_quiet") == "1")
    jvms = f"median of {len(runs)} JVMs" if len(runs) > 1 else "1 JVM"
    rows = [
        (f"@EchoServer server + injected EchoClient, added per test (Launcher, 1,000 tests; {jvms}, "
         f"each after warm-up until the JIT was quiet: {quiet} of {len(runs)}; each JVM: {each('client_added_us')} ms)",
         fmt(client / 1000, " ms", 3), "1,000 empty tests: " + fmt(empty / 1000, " ms", 3) + " per test",
         fmt(client / 1000, " ms", 3) + " added", "<= 0.2 ms", verdict(client / 1000, 0.2)),
    ]
    warming = med("client_added_warming_us")
    if warming is not None:
        rows.append(("the same while the JIT was still compiling (warm-up rounds from the 4th)",
                     fmt(warming / 1000, " ms", 3), "empty tests of the same rounds",
                     fmt(warming / 1000, " ms", 3) + " added", "", ""))
    rows.append(("@EchoServer server only, added per test", fmt(server / 1000, " ms", 3), "same empty tests",
                 fmt(server / 1000, " ms", 3) + " added", "", ""))
    cpu = med("client_added_cpu_us")
    if cpu is not None:
        rows.append(("the same in CPU time of the whole JVM (hardly inflated by a busy machine): server + client",
                     fmt(cpu / 1000, " ms", 3),
                     "empty tests: " + fmt(med("empty_cpu_us") / 1000, " ms", 3) + " per test",
                     fmt(cpu / 1000, " ms", 3) + " added", "", ""))
    return rows


def echo_rows(out):
    path = os.path.join(out, "echoload-raw.txt")
    if not os.path.exists(path):
        return []
    data = {}
    ours, ref = "echo-fixture", "refecho"
    with open(path) as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            tokens = shlex.split(line)
            kv = dict(t.split("=", 1) for t in tokens[1:] if "=" in t)
            if "scenario" in kv:
                data.setdefault((tokens[0], kv["scenario"]), []).append(kv)

    def med(server, scenario, key):
        return median([float(r[key]) for r in data.get((server, scenario), []) if key in r])

    def cpu_per_unit(server, scenario, unit_key):
        return median([float(r["server_cpu_pct"]) / float(r[unit_key])
                       for r in data.get((server, scenario), []) if float(r.get(unit_key, 0)) > 0])

    def round_ratios(scenario, key):
        """ours / refecho per round (run.sh's run=N), as text: the machine moves both between rounds."""
        ref_by_run = {r.get("run"): float(r[key]) for r in data.get((ref, scenario), []) if key in r}
        ratios = [float(r[key]) / ref_by_run[r.get("run")] for r in data.get((ours, scenario), [])
                  if key in r and ref_by_run.get(r.get("run"))]
        return ", ".join(fmt(x, "", 2) for x in ratios)

    def valid(server, scenario):
        rows = data.get((server, scenario), [])
        return all(r.get("valid") == "1" for r in rows) if rows else None

    rows = []
    for scenario, label, key, unit, target in (
            ("a", "64 B ping-pong, 1 connection", "msgs_per_s", " msgs/s", 0.95),
            ("b", "64 B ping-pong, 100 connections", "msgs_per_s", " msgs/s", 0.95),
            ("d", "64 KiB stream, 1 connection", "mb_per_s", " MB/s", 0.95),
            ("f", "connect churn", "conns_per_s", " conns/s", 0.9)):
        a, b = med(ours, scenario, key), med(ref, scenario, key)
        if a is None or b is None:
            continue
        ratio = a / b
        note = "" if valid(ours, scenario) else " (invalid run!)"
        rows.append((f"({scenario}) {label}{note}; ratio of the medians (each round: {round_ratios(scenario, key)})",
                     fmt(a, unit, 0), "refecho " + fmt(b, unit, 0), fmt(ratio, "x", 2),
                     f">= {target:g}x", verdict(ratio, target, higher_is_better=True)))
        if scenario == "d":
            ours_cpu, ref_cpu = cpu_per_unit(ours, "d", "mb_per_s"), cpu_per_unit(ref, "d", "mb_per_s")
            if ours_cpu and ref_cpu:
                # server CPU % / MB/s is proportional to CPU time per GB; the ratio needs no unit
                ratio = ours_cpu / ref_cpu
                rows.append(("(d) server CPU per GB", fmt(ours_cpu * 10_000, " ms/GB", 0),
                             "refecho " + fmt(ref_cpu * 10_000, " ms/GB", 0), fmt(ratio, "x", 2), "<= 1.2x",
                             verdict(ratio, 1.2)))
    g = data.get((ours, "g"), [])
    if g:
        # Judged on the live heap: what the server keeps per connection. The resident figure is what
        # the JVM touched for the first time during the hold (heap pages), which depends on what it
        # touched before: with -XX:+AlwaysPreTouch it is near 0 (benchmarks/README.md).
        rss = med(ours, "g", "kib_per_conn")
        heap = med(ours, "g", "heap_kib_per_conn")
        ref_rss = med(ref, "g", "kib_per_conn")
        served = all(r.get("established") == r.get("conns") and r.get("valid") == "1" for r in g)
        floor = data.get(("nio-floor", "g"), [])
        floor_rss, floor_heap = med("nio-floor", "g", "kib_per_conn"), med("nio-floor", "g", "heap_kib_per_conn")
        rows.append(("(g) 10,000 idle connections, live heap per connection after a full GC, median"
                     + ("" if served else " (not all served!)"), fmt(heap, " KiB", 2),
                     ("nio-floor " + fmt(floor_heap, " KiB", 2)) if floor else "refecho n/a (not a JVM)",
                     fmt(heap / floor_heap, "x", 2) if floor and floor_heap else "", "<= 1 KiB", verdict(heap, 1.0)))
        rounds = ", ".join(r["kib_per_conn"] for r in g if "kib_per_conn" in r)
        floor_rounds = ", ".join(r["kib_per_conn"] for r in floor if "kib_per_conn" in r)
        rows.append(("(g) the same, resident memory (heap pages the JVM touched for the first time), median (each "
                     "round: " + rounds + (("; nio-floor: " + floor_rounds) if floor else "") + ")", fmt(rss, " KiB", 2),
                     "refecho " + fmt(ref_rss, " KiB", 2) + ((", nio-floor " + fmt(floor_rss, " KiB", 2)) if floor else ""),
                     "", "(information)", ""))
    busy = median([float(r["other_cpu_pct"]) for rs in data.values() for r in rs if "other_cpu_pct" in r])
    quiet = [r.get("quiet") for rs in data.values() for r in rs if r.get("scenario") == "info"]
    if busy is not None:
        rows.append(("(echo runs: median CPU used by other processes during the windows)", fmt(busy, " % of a core", 0),
                     "quiet=" + ",".join(q or "?" for q in quiet), "", "", ""))
    return rows


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = sys.argv[1]
    meta = read_meta(out)
    rows = startup_rows(out) + first_rows(out) + extension_rows(out) + echo_rows(out)
    loads = ", ".join(f"{k.replace('_load', '')} {v}" for k, v in meta.items() if k.endswith("_load"))
    print(f"benchmarks/run-all.sh, {meta.get('date', '?')}, commit {meta.get('commit', '?')}, "
          f"{meta.get('java', '?')}, {meta.get('cpu', '?')}")
    print(f"load average (1/5/15 min) at the start of each part: {loads}")
    print()
    print("| figure | echo-fixture | floor or peer, same run | ratio | target | |")
    print("|---|---:|---|---:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
