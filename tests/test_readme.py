"""Every python snippet in README.md runs as pasted, each in a fresh interpreter in an empty folder.

A snippet that imports real Keras (`import keras`) needs Keras 3 on JAX: without it the
test is skipped loudly, and fails under CI=true, like the parity tests.
"""

import os
import re
import subprocess
import sys

import pytest

from tests.parity.conftest import real_keras

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _python_snippets():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as file:
        text = file.read()
    snippets = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        line = text.count("\n", 0, match.start()) + 1
        snippets.append(pytest.param(match.group(1), id=f"README.md:{line}"))
    return snippets


SNIPPETS = _python_snippets()


def test_the_readme_has_snippets():
    assert len(SNIPPETS) >= 4


@pytest.mark.parametrize("code", SNIPPETS)
def test_snippet_runs_as_pasted(code, tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, MPLBACKEND="Agg")
    if re.search(r"^\s*import keras\b", code, flags=re.M):
        real_keras()  # skips loudly (fails under CI) without Keras 3
        env.update(KERAS_BACKEND="jax", TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"stdout:\n{result.stdout[-2000:]}\nstderr:\n{result.stderr[-3000:]}"
    assert "Warning" not in result.stderr, result.stderr[-3000:]
