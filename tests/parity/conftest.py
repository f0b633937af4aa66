"""Access to real Keras 3 for parity tests.

Parity tests take the session fixture `keras` (or call `real_keras()`), which
imports real Keras 3 on the JAX backend. When it cannot be imported the test is
skipped with a loud `PARITY SKIPPED` reason, except under CI (`CI=true`) on
Python >= 3.10, where it fails: parity must never silently not run there.
"""

import os
import sys

import pytest

_INSTALL_HINT = "Install with pip install '.[dev]' on Python>=3.10"
_cache = {}


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _import_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras

    major = int(str(keras.__version__).split(".")[0])
    if major < 3:
        raise ImportError(f"found keras {keras.__version__}, but parity needs Keras 3")
    return keras


def real_keras():
    """The real `keras` module (Keras 3), or skip/fail the calling test with a loud reason."""
    if "module" not in _cache:
        try:
            _cache["module"] = _import_keras()
        except Exception as error:  # any import failure means parity cannot run
            _cache["module"] = None
            _cache["error"] = f"{type(error).__name__}: {error}"
    if _cache["module"] is not None:
        return _cache["module"]
    reason = f"PARITY SKIPPED: real Keras 3 not importable: {_cache['error']}. {_INSTALL_HINT}"
    if _in_ci() and sys.version_info >= (3, 10):
        pytest.fail(
            reason.replace("PARITY SKIPPED", "PARITY FAILED (CI=true requires real Keras 3)"),
            pytrace=False,
        )
    pytest.skip(reason)


@pytest.fixture(scope="session")
def keras():
    """Real Keras 3 on the JAX backend (see `real_keras`)."""
    return real_keras()
