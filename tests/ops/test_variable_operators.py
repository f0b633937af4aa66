"""`==`, `!=`, `%`, `//`, `&`, `|`, `^`, `~` and `round` on variables and tensors, as Keras's
variables give them: elementwise values, so `optimizer.iterations % 100 == 0` works in a callback."""

import numpy as np
import pytest

import nanokeras as keras


def test_comparisons_are_elementwise_values():
    v = keras.Variable(6)
    assert bool(v == 6) and not bool(v != 6)
    assert bool(v != 5) and not bool(v == 5)
    np.testing.assert_array_equal(keras.Variable(np.array([6.0, 3.0])) == 6, [True, False])
    np.testing.assert_array_equal(keras.Variable(np.array([6.0, 3.0])) != 6, [False, True])
    np.testing.assert_array_equal(6 == keras.Variable(np.array([6.0, 3.0])), [True, False])


def test_arithmetic_operators_match_numpy():
    v = keras.Variable(13)
    assert int(v % 4) == 1 and int(v // 4) == 3
    assert int(20 % v) == 7 and int(40 // v) == 3
    w = keras.Variable(np.array([-7.5, 7.5]))
    np.testing.assert_array_equal(w % 2, np.mod([-7.5, 7.5], 2).astype("float32"))
    np.testing.assert_array_equal(w // 2, np.floor_divide([-7.5, 7.5], 2).astype("float32"))


def test_logical_operators_and_round():
    t, f = keras.Variable(True), keras.Variable(False)
    assert bool(t & True) and not bool(t & f) and bool(t | f) and bool(t ^ f) and not bool(~t)
    assert bool(True & t) and bool(False | t) and not bool(True ^ t)
    assert int(~keras.Variable(np.int32(5))) == -6  # bitwise for integers, as the value's own `~`
    assert float(round(keras.Variable(2.567), 1)) == pytest.approx(2.6)
    assert float(round(keras.Variable(2.5))) == 2.0  # numpy's round half to even


def test_variables_still_key_dicts_and_sets_by_identity():
    a, b = keras.Variable(1.0), keras.Variable(1.0)
    assert len({a, b}) == 2 and {a: "a", b: "b"}[b] == "b"


def test_iterations_counter_in_a_callback():
    seen = []

    class Every(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            iterations = self.model.optimizer.iterations
            if iterations % 2 == 0:
                seen.append(int(iterations))
            if iterations == 3:
                seen.append("three")

    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(np.ones((10, 2)), np.ones((10, 1)), batch_size=2, epochs=1, verbose=0, callbacks=[Every()])
    assert seen == [2, "three", 4]


def test_comparison_inside_a_tape_has_no_gradient_and_training_is_unchanged():
    v = keras.Variable(np.array([1.0, 2.0, 3.0]))
    with keras.GradientTape() as tape:
        mask = keras.ops.cast(v != 2.0, "float32")
        loss = keras.ops.sum(v * mask)
    np.testing.assert_array_equal(tape.gradient(loss, v), [1.0, 0.0, 1.0])


def test_a_variable_keeps_the_dtype_of_a_float16_value():
    # Keras takes the value's dtype; only 64-bit floats (numpy's default) become floatx.
    assert keras.Variable(np.ones(3, "float16")).dtype == "float16"
    assert keras.Variable(np.ones(3, "float64")).dtype == "float32"
    assert keras.Variable(np.ones(3, "int32")).dtype == "int32"
    assert keras.Variable(np.ones(3, "float16"), dtype="float32").dtype == "float32"
    v = keras.Variable(np.ones(2, "float16"))
    keras.optimizers.SGD(0.5).apply_gradients([(np.ones(2, "float16"), v)])
    assert v.dtype == "float16" and v.numpy().tolist() == [0.5, 0.5]
