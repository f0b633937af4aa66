"""Layers turn regularizer and constraint names into objects when built, and their configs hold the
objects serialized as Keras writes them (module, class_name, config, registered_name)."""

import json

import numpy as np
import pytest

import nanokeras as nk


def _l2(factor):
    return {"module": "keras.regularizers", "class_name": "L2", "config": {"l2": factor}, "registered_name": None}


NON_NEG = {"module": "keras.constraints", "class_name": "NonNeg", "config": {}, "registered_name": None}


def test_dense_names_become_objects_with_default_factors():
    layer = nk.layers.Dense(2, kernel_regularizer="l2", bias_constraint="non_neg")
    assert isinstance(layer.kernel_regularizer, nk.regularizers.L2)
    assert isinstance(layer.bias_constraint, nk.constraints.NonNeg)
    config = layer.get_config()
    assert config["kernel_regularizer"] == _l2(0.01)
    assert config["bias_constraint"] == NON_NEG
    # The regularizer adds l2 * sum(kernel ** 2) to the losses.
    layer.build((None, 3))
    kernel = np.arange(6, dtype="float32").reshape(3, 2) / 10
    layer.set_weights([kernel, np.zeros(2, "float32")])
    layer(np.ones((1, 3), "float32"))
    assert float(sum(np.asarray(loss) for loss in layer.losses)) == pytest.approx(0.01 * float(np.sum(kernel ** 2)))


@pytest.mark.parametrize("cls", ["BatchNormalization", "LayerNormalization"])
def test_normalization_configs_write_module_and_registered_name(cls):
    layer = getattr(nk.layers, cls)(gamma_regularizer=nk.regularizers.L2(0.5), beta_regularizer="l2",
                                    gamma_constraint="non_neg")
    config = json.loads(json.dumps(layer.get_config()))
    assert config["gamma_regularizer"] == _l2(0.5)
    assert config["beta_regularizer"] == _l2(0.01)
    assert config["gamma_constraint"] == NON_NEG
    assert config["beta_constraint"] is None
    again = getattr(nk.layers, cls).from_config(config)
    assert isinstance(again.gamma_regularizer, nk.regularizers.L2) and again.gamma_regularizer.l2 == 0.5
    assert json.loads(json.dumps(again.get_config())) == config
