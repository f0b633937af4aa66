"""`Embedding`: lookups, masks, regularizers/constraints, configs, and refused ids."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers


def test_lookup_shapes_weights_and_gradient():
    layer = layers.Embedding(5, 3, embeddings_initializer="ones")
    ids = np.array([[1, 4], [4, 4]])
    out = layer(ids)
    assert out.shape == (2, 2, 3) and out.dtype == np.float32
    assert [w.shape for w in layer.weights] == [(5, 3)] and layer.weights[0].path.endswith("embeddings")
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(ids))
    grad = tape.gradient(loss, layer.embeddings)
    np.testing.assert_array_equal(grad[:, 0], [0, 1, 0, 0, 3])
    assert layer.compute_output_shape((None, 7)) == (None, 7, 3)


def test_float_ids_are_cast_and_default_initializer_is_uniform():
    layer = layers.Embedding(50, 2)
    np.testing.assert_array_equal(layer(np.array([[1.0, 3.0]])), layer(np.array([[1, 3]])))
    values = layer.embeddings.numpy()
    assert np.all(np.abs(values) <= 0.05) and values.std() > 0


@pytest.mark.parametrize("ids,bad", [([[1, 5]], 5), ([[-1, 0]], -1), ([[0, 1000]], 1000)])
def test_ids_outside_the_table_are_refused_and_change_nothing(ids, bad):
    layer = layers.Embedding(5, 2)
    layer.build()
    before = layer.embeddings.numpy()
    with pytest.raises(ValueError, match=rf"id {bad} .*\[0, 5\).*input_dim"):
        layer(np.array(ids))
    np.testing.assert_array_equal(layer.embeddings.numpy(), before)


@pytest.mark.parametrize("argument,value", [("input_dim", 0), ("output_dim", -2), ("input_dim", 2.5),
                                            ("output_dim", True)])
def test_bad_dimensions_are_refused(argument, value):
    kwargs = {"input_dim": 4, "output_dim": 2, argument: value}
    with pytest.raises(ValueError, match=argument):
        layers.Embedding(**kwargs)


def test_text_ids_are_refused():
    with pytest.raises(TypeError, match="integer ids"):
        layers.Embedding(4, 2)(np.array([[True, False]]))


def test_mask_zero_regularizer_constraint_and_weights_argument():
    table = np.arange(8.0).reshape(4, 2)
    layer = layers.Embedding(4, 2, mask_zero=True, embeddings_regularizer=keras.regularizers.L2(0.5),
                             embeddings_constraint="non_neg", weights=[table])
    np.testing.assert_array_equal(layer.embeddings.numpy(), table)
    np.testing.assert_array_equal(layer.compute_mask(np.array([[0, 2]])), [[False, True]])
    assert layer.supports_masking and not layers.Embedding(4, 2).supports_masking
    assert layers.Embedding(4, 2).compute_mask(np.array([[0, 2]])) is None
    np.testing.assert_allclose(float(layer.losses[0]), 0.5 * np.sum(table ** 2))
    assert layer.embeddings.constraint is not None


def test_config_round_trip_and_input_length_warning():
    layer = layers.Embedding(6, 3, mask_zero=True, name="emb")
    config = layer.get_config()
    assert config["input_dim"] == 6 and config["mask_zero"] is True
    assert config["embeddings_initializer"]["class_name"] == "RandomUniform"
    again = layers.Embedding.from_config(config)
    assert (again.input_dim, again.output_dim, again.mask_zero, again.name) == (6, 3, True, "emb")
    with pytest.warns(UserWarning, match="input_length"):
        layers.Embedding(6, 3, input_length=10)


def test_trains_in_a_model():
    keras.utils.set_random_seed(1)
    x = np.random.default_rng(0).integers(0, 10, size=(64, 5))
    y = (x.sum(axis=1) > 22).astype("float32")
    model = keras.Sequential([keras.Input((5,), dtype="int32"), layers.Embedding(10, 4),
                              layers.Flatten(), layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.Adam(0.05), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=30, verbose=0)
    assert history.history["accuracy"][-1] > 0.9
