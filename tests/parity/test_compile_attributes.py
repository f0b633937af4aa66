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
