"""compile() under a mixed_float16 policy wraps the optimizer as Keras 3 does; training agrees."""

import json
import warnings
import zipfile

import numpy as np
import pytest

import nanokeras as nk


def _trained(lib):
    lib.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = lib.Sequential([lib.Input((3,)),
                                lib.layers.Dense(4, activation="relu", kernel_initializer="ones"),
                                lib.layers.Dense(1, dtype="float32", kernel_initializer="ones")])
        model.compile("adam", "mse")
        x = np.linspace(-1, 1, 30, dtype="float32").reshape(10, 3)
        model.fit(x, x.sum(axis=1), batch_size=4, epochs=2, verbose=0, shuffle=False)
    finally:
        lib.mixed_precision.set_global_policy("float32")
    optimizer = model.optimizer
    config = optimizer.get_config()
    return (type(optimizer).__name__, optimizer.name, type(optimizer.inner_optimizer).__name__,
            config["initial_scale"], config["dynamic_growth_steps"], config["inner_optimizer"]["class_name"])


def test_mixed_float16_compile_wraps_the_optimizer(keras):
    # (not the steps taken: Keras computes in float16, where the first scaled gradients overflow
    # and their steps are skipped; nanokeras computes in float32 and skips none)
    assert _trained(nk) == _trained(keras) == (
        "LossScaleOptimizer", "loss_scale_optimizer", "Adam", 32768.0, 2000, "Adam")


def _mixed_model(lib):
    # mixed_float16 policy (so compile wraps the optimizer), float32 layers (so Keras's scaled
    # float16 gradients cannot overflow and both sides take every step)
    lib.mixed_precision.set_global_policy("mixed_float16")
    try:
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(2, dtype="float32", kernel_initializer="ones")])
        model.compile(lib.optimizers.Adam(0.01), "mse")
    finally:
        lib.mixed_precision.set_global_policy("float32")
    return model


def _state(model):
    optimizer = model.optimizer
    return (type(optimizer).__name__, [np.asarray(v.numpy()).tolist() for v in optimizer.variables])


@pytest.mark.parametrize("writer", ["nanokeras", "keras"])
def test_loss_scale_optimizer_state_moves_both_ways(keras, writer, tmp_path):
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
    y = np.ones((4, 2), "float32")
    libs = (nk, keras) if writer == "nanokeras" else (keras, nk)
    model = _mixed_model(libs[0])
    model.fit(x, y, batch_size=2, epochs=2, verbose=0, shuffle=False)
    path = str(tmp_path / "mixed.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        compiled = json.loads(archive.read("config.json"))["compile_config"]["optimizer"]["class_name"]
    assert compiled == "Adam"  # the optimizer compile was given, as Keras records it
    # (a Sequential's own dtype policy is not read from its config, in Keras either: the model is
    # mixed, and its optimizer wrapped, when the global policy is mixed at loading time)
    libs[1].mixed_precision.set_global_policy("mixed_float16")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no "skipping the optimizer state"
            loaded = libs[1].saving.load_model(path)
    finally:
        libs[1].mixed_precision.set_global_policy("float32")
    written, read = _state(model), _state(loaded)
    assert written[0] == read[0] == "LossScaleOptimizer"
    assert len(written[1]) == len(read[1]) == 10
    for a, b in zip(written[1], read[1]):
        np.testing.assert_allclose(b, a, rtol=1e-6)
