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

# Set before any parity test runs: importing tf-keras imports TensorFlow, which may import Keras 3
# (`tf.keras`) itself; without this it comes up on TensorFlow, and every later parity test of the
# process gets real Keras on TensorFlow instead of JAX.
os.environ.setdefault("KERAS_BACKEND", "jax")


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def _import_keras():
    os.environ.setdefault("KERAS_BACKEND", "jax")
    import keras

    major = int(str(keras.__version__).split(".")[0])
    if major < 3:
        raise ImportError(f"found keras {keras.__version__}, but parity needs Keras 3")
    return keras


def skip_or_fail(reason):
    """Skips the calling parity test with a loud reason, or fails it under CI (Python >= 3.10).

    Every parity skip goes through here: parity must never silently not run in CI.
    """
    reason = f"PARITY SKIPPED: {reason}"
    if _in_ci() and sys.version_info >= (3, 10):
        pytest.fail(reason.replace("PARITY SKIPPED", "PARITY FAILED (CI=true requires it to run)"), pytrace=False)
    pytest.skip(reason)


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
    skip_or_fail(f"real Keras 3 not importable: {_cache['error']}. {_INSTALL_HINT}")


@pytest.fixture(scope="session")
def keras():
    """Real Keras 3 on the JAX backend (see `real_keras`)."""
    return real_keras()


@pytest.fixture
def jax_x64(keras):
    """JAX with 64-bit types for the duration of one test (off by default, which turns float64 into float32)."""
    import jax

    previous = jax.config.jax_enable_x64
    jax.config.update("jax_enable_x64", True)
    try:
        yield
    finally:
        jax.config.update("jax_enable_x64", previous)
