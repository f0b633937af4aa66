"""Parity with real Keras 3.15 for masks through `MultiHeadAttention`, metric names of
multi-output models, and small layer/loss details (Resizing, Hashing, transposed
convolutions' shapes, loss configs, vocabularies).

`MultiHeadAttention` consumes the masks of its query, value and key: at run time it takes
them off those tensors, so a residual `Add([x, attention(x, x)])` has no mask and the loss
is a plain mean over every step; a layer whose `call` takes `mask` and was called on one
tensor in a functional graph still gets the graph's mask (Keras recorded it at build time).
"""

import numpy as np
import pytest

import nanokeras as nk
from nanokeras.backend.masking import get_keras_mask as nk_mask


def _keras_mask(keras, x):
    from keras.src.backend import get_keras_mask

    return get_keras_mask(x)


def _data(seed=0, batch=6, steps=5, features=1):
    rng = np.random.default_rng(seed)
    x = rng.integers(1, 10, size=(batch, steps))
    x[: batch // 2, -2:] = 0
    y = rng.normal(size=(batch, steps, features)).astype("float32")
    return x, y


def _attended(lib, steps):
    """Input ids, their masked embedding and a self-attention over it."""
    L = lib.layers
    i = lib.Input((steps,), dtype="int32")
    e = L.Embedding(10, 4, mask_zero=True)(i)
    return i, e, L.MultiHeadAttention(2, 2)(e, e)


def _residual(lib, steps=5):
    i, e, h = _attended(lib, steps)
    return lib.Model(i, lib.layers.Dense(1)(lib.layers.Add()([e, h])))


def _classifier(lib, steps=5):
    L = lib.layers
    i, e, h = _attended(lib, steps)
    x = L.GlobalAveragePooling1D()(L.LayerNormalization()(L.Add()([e, h])))
    return lib.Model(i, L.Dense(1)(x))


def _recurrent(lib, steps=5):
    L = lib.layers
    i, e, h = _attended(lib, steps)
    x = L.LSTM(3, return_sequences=True)(L.LayerNormalization()(L.Add()([e, h])))
    return lib.Model(i, L.Dense(1)(x))


def _two_branches(lib, steps=5):
    L = lib.layers
    i = lib.Input((steps,), dtype="int32")
    e = L.Embedding(10, 4, mask_zero=True)(i)
    d = L.Dense(4)(e)  # runs before the attention: keeps its mask
    h = L.MultiHeadAttention(2, 2)(e, e)
    h2 = L.MultiHeadAttention(2, 2)(e, e)  # runs after: e has no mask any more
    x = L.Concatenate()([d, L.Add()([h, h2])])
    return lib.Model(i, L.Dense(1)(x))


def _pooled_after_attention(lib, steps=5):
    L = lib.layers
    i, e, h = _attended(lib, steps)
    pooled = L.GlobalAveragePooling1D()(e)  # recorded mask: still averages the real steps only
    return lib.Model(i, L.Dense(1)(L.Concatenate()([pooled, L.GlobalAveragePooling1D()(h)])))


def _pair(keras, build, seed, **compile_kwargs):
    keras.utils.set_random_seed(seed)
    theirs = build(keras)
    ours = build(nk)
    ours.set_weights(theirs.get_weights())
    theirs.compile(keras.optimizers.SGD(0.1), "mse", **compile_kwargs)
    ours.compile(nk.optimizers.SGD(0.1), "mse", **compile_kwargs)
    return theirs, ours


@pytest.mark.parametrize("build", [_residual, _recurrent, _two_branches])
def test_sequence_losses_through_attention_match_keras(keras, build):
    x, y = _data()
    theirs, ours = _pair(keras, build, 3, metrics=["mae"])
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=1e-5)
    ours_history = ours.fit(x, y, epochs=2, batch_size=3, shuffle=False, verbose=0).history
    theirs_history = theirs.fit(x, y, epochs=2, batch_size=3, shuffle=False, verbose=0).history
    # Only the loss: Keras on JAX computes fit's metrics on predictions that lost their mask
    # (they leave the differentiated function), its evaluate on masked ones.
    np.testing.assert_allclose(ours_history["loss"], theirs_history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-4, atol=1e-6)
    assert (nk_mask(ours(x)) is None) == (_keras_mask(keras, theirs(x)) is None)


def test_residual_loss_is_the_plain_mean_as_keras(keras):
    x, y = _data()
    theirs, ours = _pair(keras, _residual, 0)
    plain = float(np.mean((theirs.predict(x, verbose=0) - y) ** 2))
    np.testing.assert_allclose(theirs.evaluate(x, y, verbose=0), plain, rtol=1e-5)
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), plain, rtol=1e-5)
    assert nk_mask(ours(x)) is None and _keras_mask(keras, theirs(x)) is None


@pytest.mark.parametrize("build", [_classifier, _pooled_after_attention])
def test_pooling_keeps_the_graph_mask_as_keras(keras, build):
    x, _ = _data()
    y = np.random.default_rng(1).normal(size=(6, 1)).astype("float32")
    theirs, ours = _pair(keras, build, 5)
    np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-4, atol=1e-6)
    ours_history = ours.fit(x, y, epochs=2, batch_size=3, shuffle=False, verbose=0).history
    theirs_history = theirs.fit(x, y, epochs=2, batch_size=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(ours_history["loss"], theirs_history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def _subclassed(lib):
    L = lib.layers

    class Net(lib.Model):
        def __init__(self):
            super().__init__()
            self.embed = L.Embedding(10, 4, mask_zero=True)
            self.attention = L.MultiHeadAttention(2, 2)
            self.add = L.Add()
            self.out = L.Dense(1)

        def call(self, inputs):
            e = self.embed(inputs)
            return self.out(self.add([e, self.attention(e, e)]))

    return Net()


def _block_in_sequential(lib):
    L = lib.layers

    class Block(L.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.attention = L.MultiHeadAttention(2, 2)
            self.add = L.Add()
            self.supports_masking = True

        def call(self, x):
            return self.add([x, self.attention(x, x)])

    return lib.Sequential([lib.Input((5,), dtype="int32"), L.Embedding(10, 4, mask_zero=True), Block(),
                           L.LSTM(2, return_sequences=True), L.Dense(1)])


@pytest.mark.parametrize("build", [_subclassed, _block_in_sequential])
def test_other_models_through_attention_match_keras(keras, build):
    x, y = _data()
    keras.utils.set_random_seed(2)
    theirs, ours = build(keras), build(nk)
    theirs(x), ours(x)
    ours.set_weights(theirs.get_weights())
    theirs.compile(keras.optimizers.SGD(0.1), "mse")
    ours.compile(nk.optimizers.SGD(0.1), "mse")
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), theirs.evaluate(x, y, verbose=0), rtol=1e-5)
    ours_history = ours.fit(x, y, epochs=2, batch_size=3, shuffle=False, verbose=0).history
    theirs_history = theirs.fit(x, y, epochs=2, batch_size=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(ours_history["loss"], theirs_history["loss"], rtol=1e-5)
    for a, b in zip(ours.get_weights(), theirs.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)
    assert (nk_mask(ours(x)) is None) == (_keras_mask(keras, theirs(x)) is None)


def _eager_masks(lib, get_mask):
    L = lib.layers
    x, _ = _data(batch=2, steps=4)
    lib.utils.set_random_seed(4)
    seen = {}
    e = L.Embedding(10, 4, mask_zero=True)(x)
    attention = L.MultiHeadAttention(2, 2)
    q = np.ones((2, 4, 4), "float32")
    seen["explicit_query_mask"] = get_mask(attention(q, q, query_mask=np.array([[1, 1, 0, 0]] * 2, bool)))
    h = attention(e, e)
    seen["output"] = get_mask(h)
    seen["input_after"] = get_mask(e)
    seen["second_call"] = get_mask(attention(e, e))
    e2 = L.Embedding(10, 4, mask_zero=True)(x)
    _, scores = attention(e2, e2, return_attention_scores=True)
    seen["scores"] = get_mask(scores)
    seen["add"] = get_mask(L.Add()([e2, h]))
    return {k: None if v is None else np.asarray(v) for k, v in seen.items()}


def test_eager_masks_as_keras(keras):
    ours = _eager_masks(nk, nk_mask)
    theirs = _eager_masks(keras, lambda t: _keras_mask(keras, t))
    assert set(ours) == set(theirs)
    for key in theirs:
        if theirs[key] is None:
            assert ours[key] is None, key
        else:
            assert ours[key] is not None, key
            np.testing.assert_array_equal(ours[key], theirs[key])
            assert ours[key].shape == theirs[key].shape
    assert theirs["input_after"] is None and theirs["output"] is not None


# ------------------------------------------------------------ metric names of several outputs
def _two_outputs(lib, metric):
    a = lib.Input((3,), name="a")
    model = lib.Model(a, [lib.layers.Dense(3, name="cls")(a), lib.layers.Dense(1, name="reg")(a)])
    model.compile("sgd", loss=["sparse_categorical_crossentropy", "mse"],
                  metrics={"cls": [metric, "accuracy", "accuracy"], "reg": ["mae"]})
    return model


def test_metric_object_keeps_its_name_and_saved_config_as_keras(keras, tmp_path):
    import json
    import zipfile

    rng = np.random.default_rng(0)
    x = rng.normal(size=(8, 3)).astype("float32")
    y = [rng.integers(0, 3, 8), rng.normal(size=(8, 1)).astype("float32")]
    configs, keys = {}, {}
    for name, lib in (("nk", nk), ("keras", keras)):
        metric = lib.metrics.SparseTopKCategoricalAccuracy(2)
        model = _two_outputs(lib, metric)
        keys[name] = sorted(model.evaluate(x, y, return_dict=True, verbose=0))
        assert metric.name == "sparse_top_k_categorical_accuracy"
        assert len(model.evaluate(x, y, verbose=0)) == len(keys[name])
        path = str(tmp_path / f"{name}.keras")
        model.save(path)
        configs[name] = json.loads(zipfile.ZipFile(path).read("config.json"))["compile_config"]
    assert keys["nk"] == keys["keras"]
    assert "cls_sparse_top_k_categorical_accuracy" in keys["nk"]
    assert configs["nk"]["metrics"] == configs["keras"]["metrics"]
    for name in ("nk", "keras"):  # each file, loaded by each library, logs the same keys
        path = str(tmp_path / f"{name}.keras")
        assert sorted(nk.models.load_model(path).evaluate(x, y, return_dict=True, verbose=0)) == keys["keras"]
        assert sorted(keras.models.load_model(path).evaluate(x, y, return_dict=True, verbose=0)) == keys["keras"]


def test_single_output_duplicate_metric_keeps_its_name(keras):
    rng = np.random.default_rng(0)
    x, y = rng.normal(size=(8, 3)).astype("float32"), rng.integers(0, 2, (8, 1)).astype("float32")
    results = {}
    for name, lib in (("keras", keras), ("nk", nk)):
        keras.utils.set_random_seed(0)
        metric = lib.metrics.BinaryAccuracy(name="acc")
        model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1, activation="sigmoid")])
        if name == "nk":
            model.set_weights(results["keras"][2])
        model.compile("sgd", "binary_crossentropy", metrics=[metric, "acc", lib.metrics.BinaryAccuracy(name="acc")])
        logs = model.evaluate(x, y, return_dict=True, verbose=0)
        results[name] = (sorted(logs), metric.name, model.get_weights(), model.evaluate(x, y, verbose=0))
    assert results["nk"][0] == results["keras"][0]
    assert results["nk"][1] == results["keras"][1] == "acc"
    np.testing.assert_allclose(results["nk"][3], results["keras"][3], rtol=1e-5)


# ------------------------------------------------------------------------- small details
def test_loss_configs_have_keras_keys_in_keras_order(keras):
    import inspect

    checked = 0
    for name in sorted(dir(keras.losses)):
        theirs = getattr(keras.losses, name)
        if not (inspect.isclass(theirs) and issubclass(theirs, keras.losses.Loss)) or name in (
                "Loss", "LossFunctionWrapper", "Huber", "CosineSimilarity"):
            continue  # Keras leaves `delta`, `axis` out of those two: nanokeras keeps them (round trip)
        try:
            expected = theirs().get_config()
        except TypeError:  # needs arguments
            continue
        assert list(getattr(nk.losses, name)().get_config().items()) == list(expected.items()), name
        checked += 1
    assert checked >= 20


def test_loss_from_a_config_with_arguments_keras_leaves_out():
    loss = nk.losses.SparseCategoricalCrossentropy.from_config(
        {"name": "scce", "reduction": "sum_over_batch_size", "from_logits": True, "ignore_class": None, "axis": -1})
    assert loss.from_logits and "axis" not in loss.get_config()


@pytest.mark.parametrize("name,shape", [("Conv1DTranspose", (None, 5, 2)), ("Conv2DTranspose", (None, 5, 5, 2)),
                                        ("Conv3DTranspose", (None, 5, 5, 5, 2)), ("Conv2D", (None, 5, 5, 2))])
def test_convolution_output_shape_types_as_keras(keras, name, shape):
    ours = getattr(nk.layers, name)(3, 2).compute_output_shape(shape)
    theirs = getattr(keras.layers, name)(3, 2).compute_output_shape(shape)
    assert type(ours) is type(theirs) and list(ours) == list(theirs)


def test_text_vectorization_vocabulary_types_as_keras(keras):
    for lib in (nk, keras):
        layer = lib.layers.TextVectorization()
        layer.adapt(["b a b c"])
        given = lib.layers.TextVectorization(vocabulary=["x", "y"])
        types = [[type(t) for t in v] for v in (layer.get_vocabulary(), layer.get_vocabulary(False),
                                                 given.get_vocabulary())]
        if lib is nk:
            ours = types, layer.get_vocabulary()
        else:
            assert ours == (types, layer.get_vocabulary())
    assert ours[0][0] == [str, str, np.str_, np.str_, np.str_]


def test_resizing_rejects_interpolations_keras_rejects(keras):
    images = np.ones((1, 4, 4, 3), "float32")
    with pytest.raises(ValueError) as theirs:
        keras.layers.Resizing(7, 3, interpolation="area")(images)
    with pytest.raises(ValueError) as ours:
        nk.layers.Resizing(7, 3, interpolation="area")(images)
    for allowed in ("bilinear", "nearest", "lanczos3", "lanczos5", "bicubic"):
        assert allowed in str(theirs.value) and allowed in str(ours.value)
        nk.layers.Resizing(7, 3, interpolation=allowed)(images)
