"""Eager outputs of masking layers show their mask as `_keras_mask`, as in Keras's masking guide."""

import numpy as np

import nanokeras as keras
from nanokeras import layers, ops
from nanokeras.backend.masking import get_keras_mask

IDS = np.array([[711, 632, 71, 0, 0, 0], [73, 8, 3215, 55, 927, 0], [83, 91, 1, 645, 1253, 927]])
MASK = IDS != 0


def test_embedding_and_masking_outputs_show_their_mask():
    embedded = layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)(IDS)
    np.testing.assert_array_equal(embedded._keras_mask, MASK)
    padded = ops.cast(ops.tile(ops.expand_dims(IDS, axis=-1), [1, 1, 10]), "float32")
    masked = layers.Masking()(padded)
    np.testing.assert_array_equal(masked._keras_mask, MASK)
    np.testing.assert_array_equal(np.asarray(masked), padded)
    assert type(np.asarray(masked)) is np.ndarray
    assert repr(masked).startswith("array(")


def test_the_shown_mask_reaches_the_next_layer_and_its_output():
    keras.utils.set_random_seed(0)
    embedding = layers.Embedding(10, 4, mask_zero=True)
    lstm = layers.LSTM(3, return_sequences=True)
    ids = np.array([[1, 2, 0, 0], [3, 4, 5, 0]])
    embedded = embedding(ids)
    out = lstm(embedded)
    np.testing.assert_array_equal(out._keras_mask, ids != 0)
    # The same numbers as with the mask given explicitly to a plain array.
    explicit = lstm(np.asarray(embedded), mask=ids != 0)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(explicit))
    # Masked steps repeat the last real step's output, as a masked LSTM does.
    np.testing.assert_array_equal(out[0, 2], out[0, 1])


def test_arrays_computed_from_a_masked_output_have_no_mask():
    embedded = layers.Embedding(10, 4, mask_zero=True)(np.array([[1, 0]]))
    assert (embedded * 2.0)._keras_mask is None
    assert get_keras_mask(embedded * 2.0) is None


def test_models_give_plain_arrays_and_unmasked_layers_are_unchanged():
    model = keras.Sequential([layers.Embedding(10, 4, mask_zero=True), layers.LSTM(2, return_sequences=True)])
    ids = np.array([[1, 2, 0]])
    assert type(model(ids)) is np.ndarray
    assert type(model.predict(ids, verbose=0)) is np.ndarray
    assert type(layers.Embedding(10, 4)(ids)) is np.ndarray
    assert type(layers.Dense(2)(np.ones((1, 3), "float32"))) is np.ndarray
