"""Resizing, CenterCrop and AutoContrast take `training` (default True) as Keras's do: a functional
config records it, and the result is the same either way."""

import json

import numpy as np
import pytest

import nanokeras as nk

LAYERS = [lambda: nk.layers.Resizing(4, 5), lambda: nk.layers.CenterCrop(4, 4), lambda: nk.layers.AutoContrast()]


@pytest.mark.parametrize("make", LAYERS, ids=["Resizing", "CenterCrop", "AutoContrast"])
def test_training_recorded_and_without_effect(make):
    inputs = nk.Input((6, 6, 3))
    layer = make()
    model = nk.Model(inputs, layer(inputs))
    nodes = json.loads(model.to_json())["config"]["layers"][1]["inbound_nodes"]
    assert nodes[0]["kwargs"] == {"training": True}
    x = np.random.default_rng(0).uniform(0, 255, size=(2, 6, 6, 3)).astype("float32")
    np.testing.assert_allclose(np.asarray(layer(x, training=True)), np.asarray(layer(x, training=False)))
