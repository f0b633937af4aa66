"""Shared test setup: a fresh, seeded nanokeras session per test, and a loud parity report."""

import os
import tempfile

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

import nanokeras.backend as backend
from nanokeras.utils.rng_utils import set_random_seed
from tests.fused_paths import use_update_path

# Real Keras runs on JAX in the parity tests. Set before anything imports it: TensorFlow (read by the
# tests of tf.data pipelines and TensorBoard files) may import Keras, which would then pick TensorFlow.
os.environ.setdefault("KERAS_BACKEND", "jax")

TEST_SEED = 1337

# Hypothesis caches what it learns in `./.hypothesis` (already while collecting);
# tests never write into the working tree.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "nanokeras-hypothesis"))


@pytest.fixture(autouse=True)
def fresh_nanokeras_session():
    """Resets automatic layer names and reseeds every random source before each test."""
    backend.clear_session(free_memory=False)
    set_random_seed(TEST_SEED)
    yield


@pytest.fixture(params=["numpy", "fused"])
def update_path(request):
    """Runs a test once with numpy optimizer updates and once with the `fast` extra's kernels."""
    finish = use_update_path(request.param)
    yield request.param
    finish()


def _is_parity(report):
    """Under tests/parity/, or skipped for want of real Keras anywhere else (the README's snippets)."""
    if "tests/parity/" in report.nodeid.replace("\\", "/"):
        return True
    return report.skipped and "PARITY SKIPPED" in _skip_reason(report)


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


# ------------------------------------------------- the working tree stays clean
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_NOT_WATCHED = {".git", "__pycache__", ".pytest_cache"}


def _tree_files():
    found = set()
    for folder, subfolders, files in os.walk(_ROOT):
        subfolders[:] = [d for d in subfolders if d not in _NOT_WATCHED and not d.startswith(".venv")]
        found.update(os.path.relpath(os.path.join(folder, f), _ROOT) for f in files)
    return found


def pytest_sessionstart(session):
    if not hasattr(session.config, "workerinput"):  # the main process (also under pytest-xdist)
        session.config._files_before_tests = _tree_files()


def pytest_sessionfinish(session, exitstatus):
    before = getattr(session.config, "_files_before_tests", None)
    if before is None:
        return
    written = sorted(_tree_files() - before)
    if written:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"!! The tests wrote into the working tree (use tmp_path): {written[:10]}", red=True, bold=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
