"""Benchmarks nanokeras against its peers and prints one markdown table (`make bench`).

Every measurement runs in its own fresh interpreter (`worker.py`), and the libraries take
turns: nanokeras, peer 1, peer 2, ..., nanokeras, peer 1, ... for each repetition, so a
slow phase of the machine hits all of them alike. The table shows medians over the
repetitions; a peer's cell also shows nanokeras's advantage over it.

    python benchmarks/run.py                      # everything, 3 repetitions
    python benchmarks/run.py --quick --only import
    python benchmarks/run.py --python .venv-peers/bin/python --reps 5 --json out/bench.json

The interpreter that runs the measurements is `--python`, else $BENCH_PYTHON, else
`.venv-peers/bin/python` when `make bench-peers` has built it, else this one. Peers that
interpreter cannot import are left out (and said so).
"""

import argparse
import contextlib
import importlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from common import LIBRARIES, REPO, UNSET_ENV, subprocess_env  # noqa: E402
from goals import evaluate_goals  # noqa: E402
from workloads import WORKLOADS, load as load_workload  # noqa: E402

WORKER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "worker.py")
MARKER = "BENCH_RESULT "
ALIASES = {"memory": "mlp", "a": "tutorial", "b": "mlp", "c": "import", "d": "mlp", "e": "latency",
           "f": "cnn_small", "g": "cnn_mnist", "h": "lstm", "i": "text_vectorization"}


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python", default=os.environ.get("BENCH_PYTHON"),
                        help="interpreter for the measurements (default: $BENCH_PYTHON, "
                             ".venv-peers/bin/python if present, else this one)")
    parser.add_argument("--reps", type=int, default=3, help="repetitions per library (default 3)")
    parser.add_argument("--quick", action="store_true", help="one repetition")
    parser.add_argument("--only", default="", help="comma-separated workloads: %s (or memory)" % ", ".join(WORKLOADS))
    parser.add_argument("--libs", default="", help="comma-separated libraries: %s" % ", ".join(LIBRARIES))
    parser.add_argument("--threads", type=int, default=None,
                        help="cap every library's compute threads (default: each library's own default)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds allowed to one measurement")
    parser.add_argument("--json", help="also write every measurement to this JSON file")
    parser.add_argument("--markdown", help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.reps = 1
    if args.reps < 1:
        parser.error("--reps must be at least 1, got %d" % args.reps)
    args.workloads = _pick(args.only, list(WORKLOADS), "--only", ALIASES)
    args.libraries = _pick(args.libs, list(LIBRARIES), "--libs", {})
    if args.python is None:
        peers = os.path.join(REPO, ".venv-peers", "bin", "python")
        args.python = peers if os.path.exists(peers) else sys.executable
    return args


def _pick(text, known, option, aliases):
    if not text:
        return known
    chosen = []
    for name in (part.strip() for part in text.split(",") if part.strip()):
        name = aliases.get(name, name)
        if name not in known:
            sys.exit("%s: unknown name %r; expected some of %s" % (option, name, ", ".join(known)))
        if name not in chosen:
            chosen.append(name)
    return chosen


def _one_core():
    """Pins the calling process to one core. Thread settings alone do not make every library
    single-threaded: Keras on JAX still dispatches from one thread while XLA computes on another,
    so a "one thread" row would give it two cores."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def call_worker(python, args, library, timeout, threads=None):
    """Runs worker.py in a fresh process; returns (result, None) or (None, error text).

    With `threads=1` the process also runs on one core only (`_one_core`)."""
    try:
        proc = subprocess.run([python, WORKER] + args, env=subprocess_env(library, threads), cwd=REPO,
                              capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_one_core if threads == 1 else None)
    except subprocess.TimeoutExpired:
        return None, "timed out after %.0f s" % timeout
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith(MARKER):
            return json.loads(line[len(MARKER):]), None
    tail = (proc.stderr.strip().splitlines() or ["exit code %d, no output" % proc.returncode])[-1]
    return None, tail[:300]


@contextlib.contextmanager
def competing_load(active):
    """While active, one busy process per core: other work sharing the CPU, as on a laptop."""
    if not active:
        yield
        return
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(os.cpu_count() or 1)]
    try:
        time.sleep(0.5)  # let them get going
        yield
    finally:
        for p in burners:
            p.kill()
        for p in burners:
            p.wait()


def measure(args, available):
    """{workload: {library: {metric: [values...]}}}, plus errors, running libraries in turns."""
    results, errors, skipped, loads = {}, {}, {}, []
    for workload in args.workloads:
        module = load_workload(workload)
        threads = getattr(module, "THREADS", args.threads)
        libs = [lib for lib in module.LIBRARIES if lib in args.libraries]
        missing = [lib for lib in libs if lib not in available]
        if missing:
            skipped[workload] = missing
        libs = [lib for lib in libs if lib in available]
        results[workload] = {lib: {} for lib in libs}
        for rep in range(args.reps):
            for lib in libs:
                if (workload, lib) in errors:
                    continue  # it failed once; more tries would fail the same way
                start = time.perf_counter()
                for _ in range(2):  # one retry: a file being edited mid-run can fail an import once
                    with competing_load(getattr(module, "COMPETING_LOAD", False)):
                        metrics, error = call_worker(args.python, ["run", workload, lib], lib, args.timeout,
                                                     threads)
                    if not error:
                        break
                took = time.perf_counter() - start
                loads.append(os.getloadavg()[0])
                if error:
                    errors[(workload, lib)] = error
                    print("  %-8s %-17s rep %d/%d: FAILED (%s)" % (workload, lib, rep + 1, args.reps, error),
                          file=sys.stderr)
                    continue
                for key, value in metrics.items():
                    results[workload][lib].setdefault(key, []).append(value)
                print("  %-8s %-17s rep %d/%d: %s (%.1f s)" % (
                    workload, lib, rep + 1, args.reps,
                    ", ".join("%s=%.4g" % kv for kv in metrics.items()), took), file=sys.stderr)
    return results, errors, skipped, loads


def medians(results):
    """{(metric, library): median} over all workloads."""
    out = {}
    for per_lib in results.values():
        for lib, metrics in per_lib.items():
            for key, values in metrics.items():
                out[(key, lib)] = statistics.median(values)
    return out


def advantage(value_nk, value_peer, better):
    """How many times better nanokeras is than the peer (> 1: nanokeras is better)."""
    if better == "lower":
        return value_peer / value_nk
    return value_nk / value_peer


def fmt(value, unit):
    if unit == "samples/s":
        return "{:,.0f} {}".format(value, unit)
    if unit == "s":
        return "%.3f s" % value
    if unit == "MiB":
        return "%.0f MiB" % value
    return ("%.1f %s" if value < 1000 else "%.0f %s") % (value, unit)


def git_state():
    """The commit measured, with `+ uncommitted changes` when the work tree differs from it."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", "nanokeras"],
                               cwd=REPO, capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown (no git)"
    return (head or "unknown") + (" + uncommitted changes in nanokeras/" if dirty else "")


def machine_lines(info, args, loads):
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            names = [line.split(":", 1)[1].strip() for line in f if line.startswith("model name")]
        cpu = names[0] if names else cpu
    except OSError:
        pass
    blas = info.get("blas")
    if blas is None:
        blas_text = "unknown (threadpoolctl not installed)"
    else:
        blas_text = "; ".join("%s %s, kernel %s, %s threads" % (
            b["internal_api"], b["version"], b["architecture"], b["num_threads"]) for b in blas) or "none found"
    versions = ", ".join("%s %s" % kv for kv in sorted(info["versions"].items()))
    unset = [name for name in UNSET_ENV if name in os.environ]
    threads = "each library's default" if args.threads is None else "capped at %d" % args.threads
    load = ("1-min load average while measuring: %.2f–%.2f (a load above ~0.5 on this machine means "
            "other work shared the CPU)" % (min(loads), max(loads))) if loads else ""
    return [
        "- nanokeras: commit %s (`%s`)" % (git_state(), info.get("nanokeras", "?")),
        "- CPU: %s, %d cores (os.cpu_count), %s" % (cpu, os.cpu_count() or 0, platform.platform()),
        "- Python %s (`%s`); %s" % (info["python"], info["executable"], versions),
        "- BLAS: %s%s" % (blas_text, " (after unsetting %s)" % ", ".join(unset) if unset else ""),
        "- Threads: %s. %s" % (threads, load),
    ]


def report(args, info, results, errors, skipped, loads):
    med = medians(results)
    libs = [lib for lib in LIBRARIES if any((k, lib) in med for k, _ in med)]
    lines = ["## nanokeras benchmarks", ""] + machine_lines(info, args, loads) + [
        "- %d repetition(s) per cell, each in a fresh process, libraries taking turns; medians shown." % args.reps,
        "- In a peer's cell, `(N×)` is nanokeras's advantage over that peer: > 1 means nanokeras is "
        "faster / lighter, < 1 that the peer is. The `nanokeras [fast]` column (the `fast` extra's "
        "compiled optimizer kernels, `NANOKERAS_FAST=1`) shows its gain over nanokeras's numpy path.", ""]
    lines.append("| measurement | " + " | ".join(LIBRARIES[lib][2] for lib in libs) + " |")
    lines.append("| --- |" + " ---: |" * len(libs))
    for workload in args.workloads:
        module = load_workload(workload)
        for key, label, unit, better in module.METRICS:
            if not any((key, lib) in med for lib in libs):
                continue
            cells = []
            for lib in libs:
                if (key, lib) not in med:
                    cells.append("—")
                    continue
                cell = fmt(med[(key, lib)], unit)
                if lib == "nanokeras-fast" and (key, "nanokeras") in med:
                    # the extra's gain over nanokeras's numpy path
                    cell += " (%.2f× numpy path)" % advantage(med[(key, lib)], med[(key, "nanokeras")], better)
                elif lib != "nanokeras" and (key, "nanokeras") in med and lib != "numpy":
                    cell += " (%.2f×)" % advantage(med[(key, "nanokeras")], med[(key, lib)], better)
                cells.append(cell)
            lines.append("| %s (%s better) | %s |" % (label, better, " | ".join(cells)))
    lines += ["", "### Goals (from the performance issue)", ""]
    lines += ["- " + line for line in evaluate_goals(med)]
    notes = ["%s: %s not importable by `%s` (not measured)" % (w, ", ".join(libs_), info["executable"])
             for w, libs_ in skipped.items()]
    notes += ["%s on %s failed: %s" % (w, lib, err) for (w, lib), err in errors.items()]
    if notes:
        lines += ["", "### Notes", ""] + ["- " + n for n in notes]
    return "\n".join(lines) + "\n"


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    print("Measuring with %s (%d repetition(s))" % (args.python, args.reps), file=sys.stderr)
    info, error = call_worker(args.python, ["info"], "nanokeras", args.timeout, args.threads)
    if error:
        sys.exit("cannot run the benchmark interpreter %s: %s" % (args.python, error))
    results, errors, skipped, loads = measure(args, set(info["available"]))
    text = report(args, info, results, errors, skipped, loads)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"info": info, "reps": args.reps, "threads": args.threads, "loads": loads,
                       "commit": git_state(), "results": results,
                       "errors": {"%s/%s" % k: v for k, v in errors.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
