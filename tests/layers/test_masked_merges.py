"""Masked `Multiply`/`Maximum`/`Minimum`, closed form: a masked step is the merge's identity."""

import numpy as np

import nanokeras as keras
from nanokeras import layers


def _masked(values, steps_real):
    x = np.array(values, dtype="float32").reshape(1, len(steps_real), 1)
    out = layers.Masking(mask_value=-99.0)(np.where(np.array(steps_real)[None, :, None], x, -99.0).astype("float32"))
    return out


def test_multiply_counts_a_masked_step_as_one_and_zeroes_steps_masked_everywhere():
    a = _masked([2.0, 3.0, 4.0], [True, False, False])
    b = _masked([5.0, 6.0, 7.0], [True, True, False])
    out = layers.Multiply()([a, b])
    np.testing.assert_array_equal(np.asarray(out).ravel(), [10.0, 6.0, 0.0])
    np.testing.assert_array_equal(np.asarray(out._keras_mask), [[True, True, False]])


def test_maximum_and_minimum_ignore_masked_steps():
    a = _masked([2.0, 3.0, -4.0], [True, False, False])
    b = _masked([5.0, -6.0, 7.0], [True, True, False])
    np.testing.assert_array_equal(np.asarray(layers.Maximum()([a, b])).ravel()[:2], [5.0, -6.0])
    np.testing.assert_array_equal(np.asarray(layers.Minimum()([a, b])).ravel()[:2], [2.0, -6.0])


def test_unmasked_merges_unchanged():
    x = np.array([[1.0, -2.0]], dtype="float32")
    y = np.array([[3.0, 4.0]], dtype="float32")
    np.testing.assert_array_equal(layers.Multiply()([x, y]), [[3.0, -8.0]])
    np.testing.assert_array_equal(layers.Maximum()([x, y]), [[3.0, 4.0]])


def test_masked_multiply_trains_the_same_on_the_compiled_step_and_the_tape():
    def run(run_eagerly):
        keras.utils.set_random_seed(4)
        ids = keras.Input((5,), dtype="int32")
        steps = keras.Input((5, 2))
        merged = layers.Multiply()([layers.Embedding(8, 2, mask_zero=True)(ids), layers.Masking()(steps)])
        model = keras.Model([ids, steps], layers.LSTM(2)(merged))
        model.compile("adam", "mse", run_eagerly=run_eagerly)
        rng = np.random.default_rng(0)
        x = [rng.integers(0, 8, (6, 5)), rng.normal(size=(6, 5, 2)).astype("float32")]
        x[1][:, 3:] = 0.0
        model.fit(x, np.ones((6, 2), "float32"), epochs=2, batch_size=3, verbose=0)
        return model.get_weights()
    for a, b in zip(run(False), run(True)):
        np.testing.assert_array_equal(a, b)
