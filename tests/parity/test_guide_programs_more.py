"""More keras.io guide snippets run side by side with real Keras 3: same errors and results."""

import numpy as np
import pytest

import nanokeras as nk
from tests.parity.test_guide_programs import _error


def _save_with_unregistered_activation(lib, path, where):
    def tripled(x):
        return x * 3

    layer = lib.layers.Activation(tripled) if where == "Activation" else lib.layers.Dense(2, activation=tripled)
    lib.Sequential([lib.Input((3,)), layer]).save(path)


@pytest.mark.parametrize("where", ["Activation", "Dense"])
def test_unregistered_activation_function_load_error_is_type_error(keras, tmp_path, where):
    # "Serialization & saving": a custom function that was neither registered nor passed in custom_objects.
    _save_with_unregistered_activation(keras, tmp_path / "theirs.keras", where)
    _save_with_unregistered_activation(nk, tmp_path / "ours.keras", where)
    theirs = _error(lambda: keras.models.load_model(tmp_path / "theirs.keras"))
    ours = _error(lambda: nk.models.load_model(tmp_path / "ours.keras"))
    assert isinstance(theirs, TypeError) and "tripled" in str(theirs)
    assert isinstance(ours, TypeError) and "tripled" in str(ours)


def _lookup_before_adapt(lib, name):
    layer = getattr(lib.layers, name)()
    data = np.array([[3], [4]]) if name == "IntegerLookup" else np.array([["a"], ["b"]])
    error = _error(lambda: layer(data))
    layer.adapt(data)
    return type(error), np.asarray(layer(data)).tolist()


@pytest.mark.parametrize("name", ["StringLookup", "IntegerLookup", "TextVectorization"])
def test_lookup_called_before_adapt_is_a_runtime_error(keras, name):
    # "Working with preprocessing layers": calling a lookup before `adapt` (or a vocabulary) fails.
    assert _lookup_before_adapt(nk, name) == _lookup_before_adapt(keras, name)
    assert _lookup_before_adapt(nk, name)[0] is RuntimeError


def _built_by_hand(lib):
    class Linear(lib.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2))

        def call(self, x):
            return x @ self.w

    layer = Linear()
    layer.build((None, 3))
    built, config = layer.built, layer.get_build_config()
    layer.set_weights([np.arange(6, dtype="float32").reshape(3, 2)])
    out = np.asarray(layer(np.ones((1, 3), "float32"))).tolist()
    model = lib.Sequential([lib.Input((3,)), layer])
    return built, config, out, len(layer.weights), len(model.weights)


def test_layer_built_by_hand_is_built_and_keeps_its_weights(keras):
    # "Making new layers via subclassing" / "Serialization & saving": `layer.build(shape)` by hand.
    assert _built_by_hand(nk) == _built_by_hand(keras)


def test_get_layer_without_name_or_index_is_a_value_error(keras):
    theirs = _error(lambda: keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).get_layer())
    ours = _error(lambda: nk.Sequential([nk.Input((3,)), nk.layers.Dense(2)]).get_layer())
    assert type(ours) is type(theirs) is ValueError
    assert "name" in str(ours) and "index" in str(ours) and "index" in str(theirs)


def _trainable_flags(lib):
    base = lib.Sequential([lib.Input((3,)), lib.layers.Dense(4), lib.layers.BatchNormalization()])
    model = lib.Sequential([lib.Input((3,)), base, lib.layers.Dense(1)])
    base.trainable = False
    frozen = [w.trainable for w in model.weights]
    base.trainable = True
    return frozen, [w.trainable for w in model.weights], len(model.trainable_weights)


def test_freezing_a_layer_sets_its_weights_trainable_flags(keras):
    # "Transfer learning & fine-tuning": `base_model.trainable = False`, then unfrozen to fine-tune.
    assert _trainable_flags(nk) == _trainable_flags(keras)


def _forgotten_return(lib):
    class NoReturn(lib.layers.Layer):
        def call(self, x):
            x = x * 2  # noqa: F841

    symbolic = NoReturn()(lib.Input((2,)))
    errors = [_error(lambda: lib.Sequential([lib.Input((2,)), NoReturn(), lib.layers.Dense(1)])),
              _error(lambda: lib.Sequential([lib.Input((2,)), NoReturn()]))]
    return symbolic, [type(e) for e in errors]


def test_layer_whose_call_returns_nothing(keras):
    # "Making new layers via subclassing": a `call` without `return`, stacked in a model.
    theirs, ours = _forgotten_return(keras), _forgotten_return(nk)
    assert ours[0] is None and theirs[0] is None
    assert all(issubclass(t, ValueError) for t in ours[1] + theirs[1])
