"""examples/lab.py runs end to end and reaches the accuracies it promises."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_lab_runs_and_learns(tmp_path):
    pytest.importorskip("sklearn", reason="examples need scikit-learn (pip install '.[examples]')")
    pytest.importorskip("matplotlib", reason="examples need matplotlib (pip install '.[examples]')")
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "lab.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert float(re.search(r"iris test accuracy: ([0-9.]+)", out).group(1)) >= 0.9
    assert float(re.search(r"digits test accuracy: ([0-9.]+)", out).group(1)) >= 0.95
    stopped = re.search(r"ran (\d+) epochs; lowest val_loss [0-9.]+ at epoch (\d+)", out)
    ran, best = int(stopped.group(1)), int(stopped.group(2))
    assert ran < 200 and ran == best + 5  # patience=5 after the best epoch
    assert f"Restoring model weights from the end of the best epoch: {best}." in out
    assert os.path.getsize(tmp_path / "overfitting.png") > 1000
