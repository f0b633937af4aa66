"""Shared test setup: a fresh, seeded nanokeras session per test, and a loud parity report."""

import os
import random

import numpy as np
import pytest

# Real Keras runs on JAX in the parity tests. Set before anything imports it: TensorFlow (read by the
# tests of tf.data pipelines and TensorBoard files) may import Keras, which would then pick TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "jax")

TEST_SEED = 1337


@pytest.fixture(autouse=True)
def fresh_nanokeras_session():
    """Resets automatic layer names and reseeds every random source before each test."""
    # Imported lazily so collection still works while parts of nanokeras are being written.
    try:
        import nanokeras.backend as backend
    except ImportError:
        backend = None
    if backend is not None:
        backend.clear_session(free_memory=False)
    try:
        from nanokeras.utils.rng_utils import set_random_seed
    except ImportError:
        random.seed(TEST_SEED)
        np.random.seed(TEST_SEED)
        if backend is not None:
            from nanokeras.backend import random as backend_random

            backend_random.seed_global_generator(TEST_SEED)
    else:
        set_random_seed(TEST_SEED)
    yield


def _is_parity(report):
    return "tests/parity/" in report.nodeid.replace("\\", "/") or "parity/" in report.nodeid


def _skip_reason(report):
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2])
    return str(longrepr)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Prints a banner that makes skipped parity tests impossible to miss."""
    stats = terminalreporter.stats
    skipped = [r for r in stats.get("skipped", []) if _is_parity(r)]
    ran = [
        r
        for key in ("passed", "failed", "error")
        for r in stats.get(key, [])
        if _is_parity(r) and getattr(r, "when", "call") == "call"
    ]
    if not skipped and not ran:
        return
    write = terminalreporter.write_line
    if skipped:
        reasons = sorted({_skip_reason(r) for r in skipped})
        bar = "!" * 78
        write(bar, red=True, bold=True)
        write(f"!! PARITY WITH REAL KERAS NOT CHECKED for {len(skipped)} test(s)", red=True, bold=True)
        for reason in reasons[:5]:
            write(f"!!   {reason}", red=True)
        write(bar, red=True, bold=True)
    else:
        write(f"Parity with real Keras checked: {len(ran)} parity test(s) ran, none skipped.", green=True)
