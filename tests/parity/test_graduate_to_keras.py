"""examples/graduate_to_keras.py: nanokeras -> Keras 3 on 4 (simulated) devices -> nanokeras.

The example runs in its own processes (JAX must see XLA_FLAGS before it is imported);
the `keras` fixture makes this a parity test: skipped loudly without Keras 3 and JAX,
a failure under CI=true.
"""

import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HANDOFF_TOLERANCE = 1e-6


def test_graduation_round_trip_keeps_predictions(keras, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    result = subprocess.run([sys.executable, os.path.join(ROOT, "examples", "graduate_to_keras.py"), "--out", str(tmp_path)],
                            capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    out = result.stdout
    assert "nanokeras" not in result.stderr, result.stderr[-3000:]  # no warning from our side
    to_keras = float(re.search(r"predictions differ from nanokeras's by at most (\S+)", out).group(1))
    back = float(re.search(r"predictions differ from Keras's by at most (\S+)", out).group(1))
    assert to_keras <= HANDOFF_TOLERANCE and back <= HANDOFF_TOLERANCE, out
    facts = json.loads((tmp_path / "keras_facts.json").read_text())
    assert facts["devices"] == 4 and facts["mesh_shape"] == [4] and facts["weights_on_devices"] == 4
    assert facts["loss_last"] < facts["loss_first"]  # training went on in Keras
    for name in ("trained_in_nanokeras.keras", "trained_in_keras.keras"):
        assert (tmp_path / name).stat().st_size > 1000
    assert "with 4 devices" in out and "DataParallel over a mesh of shape (4,)" in out
