"""Calling a model or a Dense layer on one sample without its batch axis: ValueError in both."""

import numpy as np
import pytest

import nanokeras as nk


@pytest.mark.parametrize("kind", ["dense", "functional", "sequential"])
def test_sample_without_batch_axis_is_refused(keras, kind):
    for lib in (keras, nk):
        if kind == "dense":
            target = lib.layers.Dense(2)
        elif kind == "functional":
            inputs = lib.Input((4,))
            target = lib.Model(inputs, lib.layers.Dense(2)(inputs))
        else:
            target = lib.Sequential([lib.Input((4,)), lib.layers.Dense(2)])
        with pytest.raises(ValueError):
            target(np.ones(4, "float32"))
        assert np.asarray(target(np.ones((1, 4), "float32"))).shape == (1, 2)
