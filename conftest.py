"""Doctests in `nanokeras/` run in a fresh session (layer names restart at `dense`)."""

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def _fresh_session_for_doctests(request):
    if isinstance(request.node, pytest.DoctestItem):
        import nanokeras

        nanokeras.backend.clear_session(free_memory=False)
        np.random.seed(0)
    yield


# The `fast` extra's kernels import numba; without it that module is not collected for doctests.
import importlib.util  # noqa: E402

collect_ignore = [] if importlib.util.find_spec("numba") else ["nanokeras/optimizers/fused_kernels.py"]
