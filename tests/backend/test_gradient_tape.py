"""GradientTape: persistence, nesting (second derivatives), watching arrays, stop_recording, unconnected sources."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops
from nanokeras.ops.tensor import Tensor


def test_simple_gradient_and_structures():
    w = keras.Variable([1.0, 2.0])
    b = keras.Variable(0.5)
    with keras.GradientTape() as tape:
        y = ops.sum(w * w) + b * 3.0
    grads = tape.gradient(y, {"w": w, "b": b})
    np.testing.assert_allclose(grads["w"], [2.0, 4.0])
    assert float(grads["b"]) == 3.0
    assert grads["w"].dtype == np.float32


def test_list_and_tuple_sources_keep_their_type():
    w = keras.Variable(2.0)
    with keras.GradientTape(persistent=True) as tape:
        y = w * w
    assert isinstance(tape.gradient(y, [w]), list)
    assert isinstance(tape.gradient(y, (w,)), tuple)


def test_non_persistent_tape_cannot_be_reused():
    w = keras.Variable(2.0)
    with keras.GradientTape() as tape:
        y = w * w
    tape.gradient(y, w)
    with pytest.raises(RuntimeError, match="persistent=True"):
        tape.gradient(y, w)


def test_persistent_tape_gives_several_gradients():
    w = keras.Variable(3.0)
    with keras.GradientTape(persistent=True) as tape:
        y = w * w
        z = ops.exp(w)
    assert float(tape.gradient(y, w)) == 6.0
    np.testing.assert_allclose(tape.gradient(z, w), np.exp(3.0), rtol=1e-6)
    assert float(tape.gradient(y, w)) == 6.0


def test_nested_tapes_second_derivative_matches_finite_differences():
    x0 = np.array([0.3, -1.2, 2.0])

    def first_derivative(x_value):
        x = keras.Variable(x_value, dtype="float64")
        with keras.GradientTape() as tape:
            y = ops.sum(ops.sin(x) * x * x)
        return np.asarray(tape.gradient(y, x))

    x = keras.Variable(x0, dtype="float64")
    with keras.GradientTape() as outer:
        with keras.GradientTape() as inner:
            y = ops.sum(ops.sin(x) * x * x)
        dy = inner.gradient(y, x)
        total = ops.sum(dy)
    d2 = outer.gradient(total, x)
    eps = 1e-6
    numeric = [
        (first_derivative(x0 + eps * e).sum() - first_derivative(x0 - eps * e).sum()) / (2 * eps)
        for e in np.eye(3)
    ]
    np.testing.assert_allclose(d2, numeric, rtol=1e-5, atol=1e-6)


def test_third_derivative_with_three_tapes():
    x = keras.Variable(2.0, dtype="float64")
    with keras.GradientTape() as t3:
        with keras.GradientTape() as t2:
            with keras.GradientTape() as t1:
                y = x * x * x * x
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    assert float(t3.gradient(d2, x)) == pytest.approx(24 * 2.0)


def test_watch_numpy_array_and_gradient_after_exit():
    x = np.array([1.0, 2.0, 3.0])
    with keras.GradientTape() as tape:
        tape.watch(x)
        y = ops.sum(ops.multiply(x, x))
    np.testing.assert_allclose(tape.gradient(y, x), [2.0, 4.0, 6.0])


def test_unwatched_array_gives_none_and_watch_rejects_numbers():
    x = np.array([1.0, 2.0])
    with keras.GradientTape() as tape:
        y = ops.sum(ops.multiply(x, x))
    assert tape.gradient(y, x) is None
    with keras.GradientTape() as tape:
        with pytest.raises(TypeError, match="Variable"):
            tape.watch(3.0)


def test_stop_recording():
    w = keras.Variable(2.0)
    with keras.GradientTape() as tape:
        y = w * w
        with tape.stop_recording():
            z = w * 10.0
        total = y + z
    # z was not recorded, so total depends on w only through y.
    assert not isinstance(z, Tensor)
    assert float(tape.gradient(total, w)) == 4.0


def test_unconnected_sources_none_or_zero():
    w, u = keras.Variable([1.0, 2.0]), keras.Variable([5.0])
    with keras.GradientTape(persistent=True) as tape:
        y = ops.sum(w * 2.0)
    gw, gu = tape.gradient(y, [w, u])
    np.testing.assert_allclose(gw, [2.0, 2.0])
    assert gu is None
    gu = tape.gradient(y, [w, u], unconnected_gradients="zero")[1]
    np.testing.assert_array_equal(gu, [0.0])
    with pytest.raises(ValueError, match="unconnected_gradients"):
        tape.gradient(y, w, unconnected_gradients="zeros")


def test_output_gradients_and_non_scalar_target():
    w = keras.Variable([1.0, 2.0])
    with keras.GradientTape(persistent=True) as tape:
        y = w * w
    np.testing.assert_allclose(tape.gradient(y, w), [2.0, 4.0])  # summed target
    np.testing.assert_allclose(tape.gradient(y, w, output_gradients=np.array([1.0, 0.5])), [2.0, 2.0])


def test_gradient_accumulates_over_reused_variable_and_watched_variables():
    w = keras.Variable(3.0)
    v = keras.Variable(1.0)
    with keras.GradientTape() as tape:
        y = w * w + ops.sin(w) + w * v
    assert {id(x) for x in tape.watched_variables()} == {id(w), id(v)}
    assert float(tape.gradient(y, w)) == pytest.approx(6 + np.cos(3.0) + 1, rel=1e-6)


def test_reset_forgets_recorded_ops():
    w = keras.Variable(3.0)
    with keras.GradientTape() as tape:
        y = w * w
        tape.reset()
    assert tape.gradient(y, w) is None


def test_watch_accessed_variables_false_gives_gradients_only_for_watched_variables():
    import nanokeras as keras

    a, b = keras.Variable(2.0), keras.Variable(3.0)
    with keras.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(a)
        y = a * b
    assert tape.watched_variables() == [a]
    grad_a, grad_b = tape.gradient(y, [a, b])
    assert float(grad_a) == 3.0 and grad_b is None
    with keras.GradientTape(watch_accessed_variables=False) as tape:
        y = a * b
    assert tape.gradient(y, [a, b], unconnected_gradients="zero")[1] == 0.0
