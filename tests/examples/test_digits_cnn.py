"""examples/digits_cnn.py trains a CNN on the 8x8 digits to >= 0.97 test accuracy and writes its pictures."""

import os
import re
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_digits_cnn_reaches_97_percent_and_draws(tmp_path):
    pytest.importorskip("sklearn", reason="examples need scikit-learn (pip install '.[examples]')")
    pytest.importorskip("matplotlib", reason="examples need matplotlib (pip install '.[examples]')")
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "digits_cnn.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    accuracy = float(re.search(r"digits CNN test accuracy: ([0-9.]+)", result.stdout).group(1))
    assert accuracy >= 0.97
    assert "ReduceLROnPlateau reducing learning rate" in result.stdout
    for name in ("filters.png", "feature_maps.png", "training_curves.png"):
        assert os.path.getsize(tmp_path / name) > 5000
