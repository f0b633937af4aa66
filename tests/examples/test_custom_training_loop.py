"""examples/custom_training_loop.py: the hand-written loop and `fit` give the same model."""

import os
import subprocess
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "examples"))

import custom_training_loop  # noqa: E402


def test_manual_loop_equals_fit():
    by_hand, with_fit, manual, fitted = custom_training_loop.compare(epochs=4)
    for a, b in zip(by_hand.get_weights(), with_fit.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6, rtol=1e-6)
    np.testing.assert_allclose(manual["loss"], fitted["loss"], rtol=1e-6)
    np.testing.assert_allclose(manual["accuracy"], fitted["accuracy"], rtol=1e-6)
    assert manual["loss"][-1] < manual["loss"][0]


def test_example_script_runs():
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "custom_training_loop.py")],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "largest weight difference" in result.stdout
    gap = float(result.stdout.strip().split()[-1])
    assert gap <= 1e-6
