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
    assert "(c) `import nanokeras` ≤ 0.2 s: **" in proc.stdout
    assert out_json.exists()


def test_unknown_workload_is_rejected_with_the_known_names():
    proc = subprocess.run([sys.executable, RUN, "--only", "imports"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    assert "unknown name 'imports'" in proc.stderr and "tutorial" in proc.stderr
