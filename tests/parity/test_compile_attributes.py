"""`model.jit_compile` and the compile config against real Keras 3: "auto" resolves to True
(False with `run_eagerly=True` or when asked)."""

import nanokeras as nk


def _seen(lib):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
    seen = [model.jit_compile]
    for kwargs in ({}, {"run_eagerly": True}, {"jit_compile": False}, {"jit_compile": True}):
        model.compile("sgd", "mse", **kwargs)
        seen.append((model.jit_compile, model.run_eagerly, model.get_compile_config()["jit_compile"]))
    return seen


def test_jit_compile_resolves_as_in_keras(keras):
    assert _seen(nk) == _seen(keras)


def _seen_with_layers(lib):
    import warnings

    seen = []
    for extra in (lib.layers.RandomRotation(0.1), lib.layers.RandomFlip(), lib.layers.StringLookup(vocabulary=["a"])):
        inner = lib.Sequential([extra]) if not isinstance(extra, lib.layers.StringLookup) else extra
        model = lib.Sequential([inner, lib.layers.Dense(1)])
        for kwargs in ({}, {"jit_compile": False}, {"run_eagerly": True}):
            with warnings.catch_warnings():
                warnings.simplefilter("error")  # "auto" resolves quietly
                model.compile("sgd", "mse", **kwargs)
            seen.append((type(extra).__name__, model.jit_compile, model.get_compile_config()["jit_compile"]))
    return seen


def test_jit_compile_auto_is_false_with_layers_keras_cannot_compile(keras):
    assert _seen_with_layers(nk) == _seen_with_layers(keras)


def _explicit_true_with_a_rotation(lib):
    import warnings

    model = lib.Sequential([lib.Input((4, 4, 1)), lib.Sequential([lib.layers.RandomRotation(0.1)]), lib.layers.Flatten(),
                            lib.layers.Dense(1)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.compile("sgd", "mse", jit_compile=True)
    return model.jit_compile, model.get_compile_config()["jit_compile"], bool(caught)


def test_an_explicit_true_with_such_a_layer_as_in_keras(keras):
    assert _explicit_true_with_a_rotation(nk) == _explicit_true_with_a_rotation(keras)
