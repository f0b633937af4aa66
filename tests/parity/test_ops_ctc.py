"""`keras.ops.ctc_loss` and `ctc_decode` against real Keras (values, jax.grad, decoded sequences)."""

import numpy as np
import pytest

from tests.parity.ops_parity import check_forward, check_gradients

rng = np.random.default_rng(0)
LOGITS = rng.normal(size=(3, 8, 5)).astype("float32")
TARGET = np.array([[1, 2, 2, 0], [3, 0, 0, 0], [1, 4, 1, 3]], "int32")
TARGET_LENGTH, OUTPUT_LENGTH = np.array([3, 1, 4], "int32"), np.array([8, 5, 7], "int32")


@pytest.mark.parametrize("mask_index", [0, 4])
def test_ctc_loss_values_and_gradients_match_keras(keras, mask_index):
    target = np.where(TARGET == mask_index, (mask_index + 1) % 5, TARGET).astype("int32")

    def loss(m, logits):
        return m.ctc_loss(target, logits, TARGET_LENGTH, OUTPUT_LENGTH, mask_index=mask_index)

    check_forward(keras, loss, [LOGITS], rtol=1e-5)
    check_gradients(keras, loss, [LOGITS], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("kwargs", [
    {}, {"merge_repeated": False}, {"mask_index": 2},
    {"strategy": "beam_search", "beam_width": 10, "top_paths": 3},
    {"strategy": "beam_search", "beam_width": 4, "top_paths": 1, "mask_index": 4},
])
def test_ctc_decode_matches_keras(keras, kwargs):
    check_forward(keras, lambda m: m.ctc_decode(LOGITS, OUTPUT_LENGTH, **kwargs), [], rtol=1e-5)
