"""The benchmark runner completes and prints its table (no timing is asserted)."""

import os
import subprocess
import sys

RUN = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "run.py")


def test_quick_import_benchmark_prints_a_table(tmp_path):
    out_json = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, RUN, "--quick", "--only", "import", "--libs", "nanokeras,numpy",
         "--python", sys.executable, "--json", str(out_json)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert "| measurement | nanokeras | numpy alone |" in proc.stdout
    assert "| (c) import time (lower better) |" in proc.stdout
    assert "(c) `import nanokeras` ≤ 0.15 s: **" in proc.stdout
    assert out_json.exists()


def test_unknown_workload_is_rejected_with_the_known_names():
    proc = subprocess.run([sys.executable, RUN, "--only", "imports"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "unknown name 'imports'" in proc.stderr and "tutorial" in proc.stderr


def test_workload_variants_declare_their_threads_and_load():
    sys.path.insert(0, os.path.dirname(RUN))
    try:
        from workloads import WORKLOADS, load

        assert load("mlp_one_thread").THREADS == 1
        assert load("mlp_loaded").COMPETING_LOAD and not hasattr(load("mlp_loaded"), "THREADS")
        assert load("mlp_loaded_one_thread").THREADS == 1 and load("mlp_loaded_one_thread").COMPETING_LOAD
        assert set(WORKLOADS) >= {"tutorial", "mlp", "import", "latency"}
    finally:
        sys.path.remove(os.path.dirname(RUN))
