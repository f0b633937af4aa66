"""compile() under a mixed_float16 policy wraps the optimizer as Keras 3 does; training agrees."""

import numpy as np

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
