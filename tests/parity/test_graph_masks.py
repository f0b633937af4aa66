"""Masks in a functional graph, as Keras builds them: `Embedding(mask_zero=True)` and `Masking` make
their masks with `not_equal` (and `any`) nodes, and a layer whose `call` takes `mask` gets the mask
as an edge of the graph. `summary()` shows those nodes and a "Connected to" column, configs list
them, files move both ways, and the models compute the same numbers."""

import numpy as np
import pytest

import nanokeras as nk


def _text_classifier(lib):
    L = lib.layers
    ids = lib.Input((None,), dtype="int32")
    x = L.Embedding(20, 4, mask_zero=True)(ids)
    x = L.LSTM(3)(x)
    return lib.Model(ids, L.Dense(1, activation="sigmoid")(x))


def _two_inputs(lib):
    L = lib.layers
    ids = lib.Input((None,), dtype="int32")
    x = L.LSTM(4, return_sequences=True)(L.Embedding(20, 4, mask_zero=True)(ids))
    x = L.GRU(3)(L.Dropout(0.0)(x))  # recorded with `training`; no noise in the comparison
    steps = lib.Input((5, 2))
    y = L.Bidirectional(L.LSTM(2, return_sequences=True))(L.Masking()(steps))
    y = L.GlobalAveragePooling1D()(y)
    return lib.Model([ids, steps], L.Dense(1)(L.Concatenate()([x, y])))


class _Positional:
    """A user layer whose `compute_mask` makes the mask with `keras.ops` (keras.io's translator)."""

    @staticmethod
    def build(lib):
        L = lib.layers

        class PositionalEmbedding(L.Layer):
            def __init__(self, **kwargs):
                super().__init__(**kwargs)
                self.tokens = L.Embedding(20, 4)

            def call(self, ids):
                return self.tokens(ids)

            def compute_mask(self, ids, mask=None):
                return lib.ops.not_equal(ids, 0)

        ids = lib.Input((6,), dtype="int32")
        x = L.GRU(3)(PositionalEmbedding()(ids))
        return lib.Model(ids, L.Dense(2)(x))


def _merged(lib):
    """Masks merged by `Concatenate` (its mask nodes: expand_dims, zeros_like, logical_or, concatenate,
    any) and by `Add` (logical_or), then read by recurrent layers."""
    L = lib.layers
    ids = lib.Input((5,), dtype="int32")
    more_ids = lib.Input((5,), dtype="int32")
    steps = lib.Input((5, 3))
    a = L.Embedding(10, 3, mask_zero=True)(ids)
    b = L.Embedding(10, 3, mask_zero=True)(more_ids)
    joined = L.Concatenate()([a, b])
    over_time = L.Concatenate(axis=1)([a, L.Masking()(steps)])
    with_unmasked = L.Concatenate()([a, steps])
    added = L.Add()([a, L.Dense(3)(b)])
    outputs = [L.LSTM(2)(joined), L.GRU(2)(over_time), L.SimpleRNN(2)(with_unmasked), L.LSTM(2)(added)]
    return lib.Model([ids, more_ids, steps], outputs)


BUILDERS = {"text_classifier": _text_classifier, "two_inputs": _two_inputs, "positional": _Positional.build,
            "merged": _merged}


def _summary(model):
    lines = []
    model.summary(print_fn=lambda line, **kwargs: lines.append(line))
    return lines


def _graph(model):
    """(class, name, names of the tensors each node reads) per layer of the config."""
    def reads(node):
        found = []

        def walk(value):
            if isinstance(value, dict):
                if value.get("class_name") == "__keras_tensor__":
                    found.append(value["config"]["keras_history"][0])
                else:
                    for v in value.values():
                        walk(v)
            elif isinstance(value, (list, tuple)):
                for v in value:
                    walk(v)

        walk(node.get("args", []))
        mask = node.get("kwargs", {}).get("mask")
        walk(mask)
        return found

    return [(layer["class_name"], layer["name"], [reads(n) for n in layer["inbound_nodes"]])
            for layer in model.get_config()["layers"]]


def _data(seed=0):
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, 20, size=(4, 6)).astype("int32")
    ids[:, 4:] = 0
    steps = rng.normal(size=(4, 5, 2)).astype("float32")
    steps[:, 3:] = 0.0
    return ids, steps


def _inputs(name, ids, steps):
    if name == "merged":
        return [ids[:, :5] % 10, ids[::-1, :5] % 10, np.concatenate([steps, steps[:, :1] * 0.0], axis=1)[:, :5, :1].repeat(3, -1)]
    return [ids, steps] if name == "two_inputs" else ids


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_summary_and_graph_as_keras(keras, name):
    # Fresh automatic names on both sides: the summaries print them.
    keras.backend.clear_session()
    nk.backend.clear_session()
    theirs, ours = BUILDERS[name](keras), BUILDERS[name](nk)
    assert _summary(ours) == _summary(theirs)
    assert _graph(ours) == _graph(theirs)


@pytest.mark.parametrize("name", ["text_classifier", "two_inputs", "merged"])
def test_same_weights_same_predictions_and_training(keras, name):
    theirs, ours = BUILDERS[name](keras), BUILDERS[name](nk)
    ours.set_weights(theirs.get_weights())
    x = _inputs(name, *_data())
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    y = np.linspace(0, 1, 4, dtype="float32").reshape(4, 1)
    if name == "merged":
        y = [np.full((4, 2), 0.5, "float32")] * 4
    theirs.compile(keras.optimizers.SGD(0.1), "mse")
    ours.compile(nk.optimizers.SGD(0.1), "mse")
    h_theirs = theirs.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0).history["loss"]
    h_ours = ours.fit(x, y, epochs=2, batch_size=2, shuffle=False, verbose=0).history["loss"]
    np.testing.assert_allclose(h_ours, h_theirs, rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


@pytest.mark.parametrize("name", ["text_classifier", "two_inputs", "merged"])
def test_files_load_both_ways_with_the_mask_nodes(keras, name, tmp_path):
    x = _inputs(name, *_data(1))
    theirs = BUILDERS[name](keras)
    theirs.save(tmp_path / "keras.keras")
    loaded = nk.models.load_model(tmp_path / "keras.keras")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert _graph(loaded) == _graph(theirs)

    ours = BUILDERS[name](nk)
    ours.save(tmp_path / "ours.keras")
    back = keras.models.load_model(tmp_path / "ours.keras")
    np.testing.assert_allclose(back.predict(x, verbose=0), ours.predict(x, verbose=0), rtol=1e-5, atol=1e-6)
    assert _graph(back) == _graph(ours)


def _calls_with_and_without_recorded_masks(lib):
    L = lib.layers

    class Keep(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.supports_masking = True

        def call(self, x, mask=None):
            return x

    class Pair(L.Layer):
        def call(self, inputs, mask=None):
            return inputs[0] + inputs[1]

        def compute_output_shape(self, shapes):
            return shapes[0]

    ids = lib.Input((5,), dtype="int32")
    embedded = L.Embedding(10, 4, mask_zero=True)(ids)
    other = L.Embedding(10, 4, mask_zero=True)(ids)
    steps = lib.Input((5, 2), dtype="float64")
    masked = L.Masking(dtype="float64")(steps)
    outputs = [
        L.LSTM(3, return_sequences=True)(embedded, training=True),  # another argument: no mask recorded
        Pair()([embedded, other]),  # a list: none
        Keep()(masked),  # float64 into a float32 layer: cast first, none
        Keep(dtype="float64")(masked),  # recorded
        Keep()(embedded),  # recorded
    ]
    return lib.Model([ids, steps], outputs)


def _recorded_masks(model):
    """Per layer, the layer names its recorded `mask` argument comes from (None recorded = none)."""
    found = {}
    for layer in model.get_config()["layers"]:
        for node in layer["inbound_nodes"]:
            mask = node.get("kwargs", {}).get("mask")
            if isinstance(mask, dict):
                found[layer["class_name"] + str(len(found))] = mask["config"]["keras_history"][0]
    return sorted(found.values())


@pytest.mark.filterwarnings("ignore:Layer 'pair.*does not support masking:UserWarning")
def test_which_calls_record_the_mask_as_keras(keras):
    keras.backend.clear_session()
    nk.backend.clear_session()
    theirs = _calls_with_and_without_recorded_masks(keras)
    ours = _calls_with_and_without_recorded_masks(nk)
    assert _recorded_masks(ours) == _recorded_masks(theirs)
    assert len(_recorded_masks(ours)) == 2
