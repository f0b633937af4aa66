"""The compiled step's contract for the ops added for issue 13: each recorded op replays bit for bit.

Same check as `test_replay_contract.py` (record, write new values in place, replay,
compare with a fresh recording), over the gradient-check cases of each new op file.
"""

import numpy as np
import pytest

import nanokeras as keras
from tests.ops import (test_array_ops, test_control_flow_and_scatter, test_ctc, test_elementwise_math, test_image_ops, test_fourier_and_segments, test_linalg, test_nn_extras,
                       test_statistics)
from tests.ops.test_replay_contract import _check_replay

CASES = (test_elementwise_math.CASES + test_array_ops.CASES + test_statistics.CASES + test_linalg.CASES
         + test_fourier_and_segments.CASES + test_nn_extras.CASES
         + test_control_flow_and_scatter.CASES + test_image_ops.CASES
         + test_ctc.CASES)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("fn,inputs", [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_new_op_replays_bit_for_bit(fn, inputs, dtype):
    sources = [keras.Variable(np.asarray(x, dtype), dtype=dtype) for x in inputs]
    _check_replay(fn, sources)
