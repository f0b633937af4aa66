"""Snippets of keras.io guides run side by side with real Keras 3: same errors, shapes and prints."""

import numpy as np
import pytest

import nanokeras as nk


def _error_type(call):
    try:
        call()
    except Exception as error:  # the type is what is compared
        return type(error)
    return None


def test_unknown_call_keyword_on_symbolic_inputs(keras):
    theirs = _error_type(lambda: keras.layers.Dense(3)(keras.Input((2,)), foo=1))
    ours = _error_type(lambda: nk.layers.Dense(3)(nk.Input((2,)), foo=1))
    assert theirs is TypeError and ours is TypeError


@pytest.mark.parametrize("name", ["LSTM", "GRU", "SimpleRNN", "LSTMCell"])
def test_recurrent_config_keys_in_keras_order(keras, name):
    assert list(getattr(nk.layers, name)(3).get_config()) == list(getattr(keras.layers, name)(3).get_config())


def _unnamed_weight_names(lib):
    lib.utils.clear_session() if hasattr(lib.utils, "clear_session") else lib.backend.clear_session()

    class Linear(lib.layers.Layer):
        def __init__(self):
            super().__init__(name="linear")
            self.w = self.add_weight(shape=(2, 3))
            self.b = self.add_weight(shape=(3,), initializer="zeros")

        def call(self, inputs):
            return inputs @ self.w + self.b

    layer = Linear()
    metric = lib.metrics.Mean()
    return [(w.name, w.path) for w in layer.weights] + [lib.Variable(1.0).name, len(metric.variables)]


def test_unnamed_weights_are_numbered_as_in_keras(keras):
    assert _unnamed_weight_names(nk) == _unnamed_weight_names(keras)


def _temporal_softmax_model(lib):
    class TemporalSoftmax(lib.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, inputs, mask=None):
            assert mask is not None
            weights = lib.ops.expand_dims(lib.ops.cast(mask, "float32"), -1)
            exp = lib.ops.exp(inputs) * weights
            return exp / lib.ops.sum(exp * weights, axis=-1, keepdims=True)

    inputs = lib.Input(shape=(None,), dtype="int32")
    x = lib.layers.Embedding(input_dim=10, output_dim=4, mask_zero=True)(inputs)
    x = lib.layers.Dense(2)(x)
    return lib.Model(inputs, TemporalSoftmax()(x))


def test_masking_guide_temporal_softmax(keras):
    # "Understanding masking & padding": a layer whose call needs its mask, in a functional model.
    theirs, ours = _temporal_softmax_model(keras), _temporal_softmax_model(nk)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    ids = np.array([[1, 2, 3, 0], [4, 5, 0, 0]])
    with np.errstate(invalid="ignore"):  # padded steps are 0/0 (NaN) in both
        np.testing.assert_allclose(ours(ids), np.asarray(theirs(ids)), rtol=1e-5, atol=1e-6)


def _data_built_shapes(lib):
    called = lib.Sequential([lib.layers.Dense(2), lib.layers.Dense(3)])
    called(np.ones((1, 4), "float32"))
    fitted = lib.Sequential([lib.layers.Dense(2), lib.layers.Dense(3)])
    fitted.compile("sgd", "mse")
    fitted.fit(np.ones((10, 4), "float32"), np.ones((10, 3), "float32"), batch_size=4, verbose=0)
    predicted = lib.Sequential([lib.layers.Dense(2)])
    predicted.predict(np.ones((7, 4), "float32"), verbose=0)
    return [tuple(m.input_shape) for m in (called, fitted, predicted)] + [tuple(called.output_shape)]


def test_sequential_built_by_data_keeps_batch_size(keras):
    # "The Sequential model" guide: a model called on `ops.ones((1, 4))` summarizes as (1, 2), (1, 3), ...
    assert _data_built_shapes(nk) == _data_built_shapes(keras)


def test_unregistered_custom_layer_load_error_is_type_error(keras, tmp_path):
    # "Serialization & saving": loading a custom layer that was not registered fails with a TypeError.
    def save(lib, path):
        class Unregistered(lib.layers.Layer):
            def __init__(self, a=1, **kwargs):
                super().__init__(**kwargs)
                self.a = a

            def get_config(self):
                return {**super().get_config(), "a": self.a}

        lib.Sequential([lib.Input((2,)), Unregistered(3)]).save(path)

    save(keras, tmp_path / "theirs.keras")
    save(nk, tmp_path / "ours.keras")
    assert isinstance(_error(lambda: keras.models.load_model(tmp_path / "theirs.keras")), TypeError)
    assert isinstance(_error(lambda: nk.models.load_model(tmp_path / "ours.keras")), TypeError)
    assert _error_type(lambda: keras.layers.deserialize({"class_name": "Nope", "config": {}})) is TypeError
    assert isinstance(_error(lambda: nk.layers.deserialize({"class_name": "Nope", "config": {}})), TypeError)


def _error(call):
    try:
        call()
    except Exception as error:  # the error itself is what is compared
        return error
    return None


def _input_names(lib):
    lib.utils.clear_session() if hasattr(lib.utils, "clear_session") else lib.backend.clear_session()
    a = lib.Input(shape=(3,))
    b = lib.Input(shape=(3,), name="b")
    c = lib.layers.Dense(2)(a)
    return [a.name, b.name, c.name, a._keras_history[0].name, repr(a)]


def test_input_tensor_names_and_repr(keras):
    assert _input_names(nk) == _input_names(keras)


def _vocabularies(lib):
    strings = lib.layers.StringLookup()
    strings.adapt(np.array([["a"], ["b"], ["c"], ["b"], ["c"], ["a"], ["c"]]))
    ints = lib.layers.IntegerLookup(output_mode="one_hot")
    ints.adapt(np.array([[12], [2], [0], [42], [2]]))
    given = lib.layers.StringLookup(vocabulary=["x", "y"], mask_token="")
    return [repr(strings.get_vocabulary()), repr(ints.get_vocabulary()), repr(given.get_vocabulary()),
            repr(strings.get_vocabulary(include_special_tokens=False))]


def test_lookup_vocabularies_print_as_in_keras(keras):
    # "Working with preprocessing layers": printed vocabularies show numpy scalars after the special tokens.
    assert _vocabularies(nk) == _vocabularies(keras)


def _build_configs(lib):
    sequential = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1)])
    unbuilt = lib.Sequential([lib.layers.Dense(1)])
    unbuilt.build((None, 5))
    return [sequential.get_build_config(), unbuilt.get_build_config(), sequential.layers[0].get_build_config()]


def test_model_build_configs_are_tuples_as_in_keras(keras):
    assert _build_configs(nk) == _build_configs(keras)
    assert [type(c["input_shape"]) for c in _build_configs(nk)] == [tuple] * 3
