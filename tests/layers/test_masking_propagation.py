"""Masks travel with tensors: made by Embedding/Masking, passed to layers that take `mask`, kept or dropped."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.backend.masking import get_keras_mask, set_keras_mask

IDS = np.array([[3, 5, 0, 0], [7, 0, 0, 0], [1, 2, 3, 4]])
MASK = IDS != 0


def test_embedding_marks_its_output_and_dense_passes_the_mask_on():
    embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
    np.testing.assert_array_equal(get_keras_mask(embedded), MASK)
    dense = layers.Dense(2)(embedded)
    np.testing.assert_array_equal(get_keras_mask(dense), MASK)
    assert get_keras_mask(layers.Embedding(10, 3)(IDS)) is None


def test_layer_that_does_not_support_masking_drops_it_with_a_warning():
    embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
    with pytest.warns(UserWarning, match="does not support masking"):
        flat = layers.Flatten()(embedded)
    assert get_keras_mask(flat) is None


def test_mask_reaches_call_and_an_explicit_mask_wins():
    seen = {}

    class Probe(layers.Layer):
        supports_masking = True

        def call(self, inputs, mask=None):
            seen["mask"] = mask
            return inputs

    embedded = layers.Embedding(10, 3, mask_zero=True)(IDS)
    out = Probe()(embedded)
    np.testing.assert_array_equal(seen["mask"], MASK)
    np.testing.assert_array_equal(get_keras_mask(out), MASK)
    explicit = np.ones_like(MASK)
    Probe()(embedded, mask=explicit)
    assert seen["mask"] is explicit


def test_several_tensor_arguments_fill_their_own_mask_parameters():
    seen = {}

    class TwoInputs(layers.Layer):
        supports_masking = True

        def call(self, query, value, query_mask=None, value_mask=None):
            seen.update(query_mask=query_mask, value_mask=value_mask)
            return query

    q = layers.Embedding(10, 2, mask_zero=True)(IDS)
    v = layers.Embedding(10, 2, mask_zero=True)(IDS[:, ::-1])
    TwoInputs()(q, v)
    np.testing.assert_array_equal(seen["query_mask"], MASK)
    np.testing.assert_array_equal(seen["value_mask"], MASK[:, ::-1])


def test_symbolic_tensors_carry_symbolic_masks():
    inputs = keras.Input((4,), dtype="int32")
    embedded = layers.Embedding(10, 3, mask_zero=True)(inputs)
    assert embedded._keras_mask.shape == (None, 4) and embedded._keras_mask.dtype == "bool"
    assert layers.Dense(2)(embedded)._keras_mask is embedded._keras_mask
    assert getattr(layers.LSTM(2)(embedded), "_keras_mask", None) is None
    assert layers.LSTM(2, return_sequences=True)(embedded)._keras_mask.shape == (None, 4)


def test_merges_combine_masks_as_keras():
    a = layers.Embedding(10, 2, mask_zero=True)(IDS)
    b = layers.Embedding(10, 2, mask_zero=True)(IDS[:, ::-1])
    np.testing.assert_array_equal(get_keras_mask(layers.Add()([a, b])), MASK | MASK[:, ::-1])
    np.testing.assert_array_equal(get_keras_mask(layers.Concatenate()([a, b])), MASK | MASK[:, ::-1])
    unmasked = np.ones((3, 4, 2), dtype="float32")
    assert get_keras_mask(layers.Add()([a, unmasked])) is None
    np.testing.assert_array_equal(get_keras_mask(layers.Concatenate()([a, unmasked])), np.ones((3, 4), bool))
    assert get_keras_mask(layers.Dot(axes=2)([a, b])) is None


def test_lambda_mask_argument():
    a = layers.Embedding(10, 2, mask_zero=True)(IDS)
    np.testing.assert_array_equal(
        get_keras_mask(layers.Lambda(lambda x: x * 2, mask=lambda x, m: ~m)(a)), ~MASK)
    assert get_keras_mask(layers.Lambda(lambda x: x * 2)(a)) is None


def test_masking_layer_zeroes_padded_steps_and_masks_them():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]], [[0.0, 0.0], [0.0, 0.0], [5.0, 5.0]]], "float32")
    out = layers.Masking()(x)
    np.testing.assert_array_equal(get_keras_mask(out), [[True, False, True], [False, False, True]])
    out = layers.Masking(mask_value=5.0)(x)
    np.testing.assert_array_equal(get_keras_mask(out), [[True, True, True], [True, True, False]])
    np.testing.assert_array_equal(out[1, 2], [0.0, 0.0])
    with pytest.raises(ValueError, match="mask_value"):
        layers.Masking(mask_value="zero")


@pytest.mark.parametrize("rnn", ["SimpleRNN", "LSTM", "GRU"])
@pytest.mark.parametrize("padding", ["pre", "post"])
def test_padded_batches_give_the_numbers_of_unpadded_sequences(rnn, padding):
    keras.utils.set_random_seed(0)
    sequences = [[3, 5, 2], [7], [1, 2, 3, 4]]
    padded = keras.utils.pad_sequences(sequences, maxlen=6, padding=padding)
    model = keras.Sequential([keras.Input((None,), dtype="int32"), layers.Embedding(10, 4, mask_zero=True),
                              getattr(layers, rnn)(3)])
    batch = model(padded)
    for i, sequence in enumerate(sequences):
        alone = model(np.array([sequence]))
        np.testing.assert_allclose(batch[i], alone[0], rtol=1e-5, atol=1e-6)


def test_functional_model_passes_masks_through_its_graph():
    inputs = keras.Input((4,), dtype="int32")
    x = layers.Embedding(10, 3, mask_zero=True)(inputs)
    x = layers.LSTM(2, return_sequences=True)(x)
    outputs = layers.TimeDistributed(layers.Dense(1))(x)
    model = keras.Model(inputs, outputs)
    result = model(IDS)
    np.testing.assert_array_equal(get_keras_mask(result), MASK)
    # masked steps output the previous state: step 2 of sample 0 repeats step 1's output
    np.testing.assert_allclose(result[0, 2], result[0, 1])


def test_side_table_forgets_collected_tensors():
    import gc

    from nanokeras.backend import masking

    x = np.zeros((2, 3))
    set_keras_mask(x, np.ones((2, 3), bool))
    key = id(x)
    del x
    gc.collect()
    assert key not in masking._masks
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        set_keras_mask(3.0, np.ones(1))  # a number takes no mask, silently
    assert get_keras_mask(3.0) is None


def test_losses_and_metrics_skip_masked_steps():
    keras.utils.set_random_seed(0)
    ids = np.array([[1, 2, 0, 0], [3, 4, 5, 0]])
    labels = np.array([[0, 1, 1, 1], [1, 0, 1, 1]])
    model = keras.Sequential([keras.Input((4,), dtype="int32"), layers.Embedding(9, 4, mask_zero=True),
                              layers.LSTM(3, return_sequences=True), layers.Dense(2, activation="softmax")])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    probabilities = np.asarray(model(ids))
    picked = np.take_along_axis(probabilities, labels[..., None], axis=-1)[..., 0]
    real = ids != 0
    expected_loss = -np.log(picked)[real].mean()
    expected_accuracy = (probabilities.argmax(-1) == labels)[real].mean()
    for jit_compile in ("auto", False):
        model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"], jit_compile=jit_compile)
        loss, accuracy = model.evaluate(ids, labels, verbose=0)
        np.testing.assert_allclose([loss, accuracy], [expected_loss, expected_accuracy], rtol=1e-5)
