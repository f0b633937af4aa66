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
