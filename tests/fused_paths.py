"""Running tests both ways: with the `fast` extra's compiled optimizer kernels and without.

Test modules opt in with `pytestmark = pytest.mark.usefixtures("update_path")` (the fixture
is in tests/conftest.py): each of their tests then runs once on the numpy updates and once
on the kernels. Without numba the kernel runs skip loudly, and fail under CI=true, where
`make venv` installs the extra.
"""

import os

import pytest

from nanokeras.optimizers import fused_updates


def _in_ci():
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


def require_fused_kernels():
    """Skips the calling test when numba is missing (fails instead under CI=true)."""
    if fused_updates.load_kernels() is not None:
        return
    reason = f"FUSED KERNELS NOT TESTED: {fused_updates.why_not_loaded()}"
    if _in_ci():
        pytest.fail(reason + " (CI=true requires them)", pytrace=False)
    pytest.skip(reason)


def use_update_path(path):
    """Sets the update path for a test ("numpy" or "fused"); returns a function that undoes it and
    checks that a fused run really used the kernels throughout."""
    if path == "fused":
        require_fused_kernels()
    fused_updates.set_fused_updates("on" if path == "fused" else "off")

    def finish():
        fused_updates.set_fused_updates(None)
        if path == "fused":
            assert fused_updates.why_not_loaded() is None, fused_updates.why_not_loaded()

    return finish
