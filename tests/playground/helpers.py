"""Shared by the playground tests: running the code panel's program in a fresh interpreter."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Appended to a generated program: what it trained, for the test to compare.
EPILOGUE = '''
import json as _json
_layers = [{{"class": type(layer).__name__, "config": layer.get_config()}} for layer in model.layers]
_optimizer = model.optimizer
with open({path!r}, "w") as _file:
    _json.dump({{
        "x_train": x_train.tolist(), "y_train": y_train.tolist(), "x_test": x_test.tolist(), "y_test": y_test.tolist(),
        "history": {{k: [float(v) for v in vs] for k, vs in history.history.items()}},
        "params": {{k: v for k, v in history.params.items() if k in ("epochs", "steps")}},
        "layers": _layers,
        "optimizer": type(_optimizer).__name__,
        "learning_rate": float(_optimizer.learning_rate),
        "loss": model.loss if isinstance(model.loss, str) else type(model.loss).__name__,
        "weights": [w.tolist() for w in model.get_weights()],
    }}, _file)
'''


def run_program(code, result_path, cwd, python=None, env_extra=None, timeout=240):
    """Runs `code` plus the epilogue; returns the epilogue's JSON (fails the test with stderr otherwise)."""
    env = dict(os.environ, PYTHONPATH=ROOT, MPLBACKEND="Agg")
    env.update(env_extra or {})
    script = os.path.join(cwd, "program.py")
    with open(script, "w") as file:
        file.write(code + EPILOGUE.format(path=str(result_path)))
    result = subprocess.run([python or sys.executable, script], cwd=cwd, capture_output=True, text=True,
                            env=env, timeout=timeout)
    assert result.returncode == 0, result.stderr[-4000:]
    with open(result_path) as file:
        return json.load(file), result.stdout


def layer_summary(layers):
    """`[(class, units or rate, activation, l2), ...]` from the epilogue's layer configs."""
    summary = []
    for layer in layers:
        config = layer["config"]
        regularizer = config.get("kernel_regularizer")
        l2 = None
        if regularizer:
            l2 = round(float(regularizer["config"]["l2"]), 8)
        summary.append((layer["class"], config.get("units", config.get("rate")), config.get("activation"), l2))
    return summary
