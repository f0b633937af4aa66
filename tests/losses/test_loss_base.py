"""`Loss.__call__`: casting, rank matching, sample weights and every reduction, by hand."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.losses import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank


class AbsoluteError(Loss):
    def call(self, y_true, y_pred):
        return keras.ops.abs(y_pred - y_true)


Y_TRUE = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 0.0]], dtype="float32")
Y_PRED = np.array([[2.0, 2.0], [3.0, 1.0], [1.0, -1.0]], dtype="float32")
PER_ELEMENT = np.abs(Y_PRED - Y_TRUE)  # [[1, 0], [0, 3], [1, 1]]


@pytest.mark.parametrize(
    "reduction, expected",
    [
        ("sum_over_batch_size", 6.0 / 6),
        ("mean", 6.0 / 6),
        ("sum", 6.0),
        ("mean_with_sample_weight", 6.0 / 6),  # no weights: divides by the element count
    ],
)
def test_reductions_without_weights(reduction, expected):
    out = AbsoluteError(reduction=reduction)(Y_TRUE, Y_PRED)
    assert np.shape(out) == () and np.asarray(out).dtype == np.float32
    assert float(out) == pytest.approx(expected)


@pytest.mark.parametrize("reduction", ["none", None])
def test_no_reduction_returns_per_sample_losses(reduction):
    out = AbsoluteError(reduction=reduction)(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(out, PER_ELEMENT)


class SumAbsoluteError(Loss):
    def call(self, y_true, y_pred):
        return keras.ops.sum(keras.ops.abs(y_pred - y_true), axis=-1)


PER_SAMPLE = PER_ELEMENT.sum(axis=-1)  # [1, 3, 2]


def test_per_sample_weights_divide_by_element_count_not_weight_sum():
    weights = np.array([2.0, 0.5, 0.0])
    weighted = PER_SAMPLE * weights  # [2, 1.5, 0]
    assert float(SumAbsoluteError()(Y_TRUE, Y_PRED, sample_weight=weights)) == pytest.approx(3.5 / 3)
    assert float(SumAbsoluteError(reduction="sum")(Y_TRUE, Y_PRED, weights)) == pytest.approx(3.5)
    mean_w = SumAbsoluteError(reduction="mean_with_sample_weight")(Y_TRUE, Y_PRED, weights)
    assert float(mean_w) == pytest.approx(3.5 / 2.5)
    none = SumAbsoluteError(reduction=None)(Y_TRUE, Y_PRED, weights)
    np.testing.assert_allclose(none, weighted)


def test_rank_1_weights_are_expanded_against_n_by_1_losses():
    weights = np.array([2.0, 0.5, 0.0])
    out = AbsoluteError(reduction=None)(Y_TRUE[:, :1], Y_PRED[:, :1], weights)
    np.testing.assert_allclose(out, PER_ELEMENT[:, :1] * weights[:, None])


def test_elementwise_and_scalar_weights():
    weights = np.array([[1.0, 2.0], [3.0, 4.0], [0.0, 1.0]])
    out = AbsoluteError(reduction="sum")(Y_TRUE, Y_PRED, sample_weight=weights)
    assert float(out) == pytest.approx(1 + 12 + 1)
    assert float(AbsoluteError()(Y_TRUE, Y_PRED, sample_weight=2.0)) == pytest.approx(2.0)


def test_per_sample_loss_with_trailing_unit_weights():
    mse = keras.losses.MeanSquaredError()
    y_true = np.array([[0.0], [1.0], [2.0]])
    y_pred = np.array([[1.0], [1.0], [0.0]])  # per-sample losses [1, 0, 4]
    weights = np.array([[1.0], [5.0], [0.5]])
    assert float(mse(y_true, y_pred, sample_weight=weights)) == pytest.approx((1 + 0 + 2) / 3)


def test_mean_with_sample_weight_all_zero_gives_zero_not_nan():
    out = SumAbsoluteError(reduction="mean_with_sample_weight")(Y_TRUE, Y_PRED, np.zeros(3))
    assert float(out) == 0.0


def test_scalar_and_empty_losses_are_returned_as_is():
    class Constant(Loss):
        def call(self, y_true, y_pred):
            return keras.ops.sum(y_pred)

    assert float(Constant(reduction="sum_over_batch_size")(np.zeros(3), np.ones(3))) == 3.0
    empty = AbsoluteError()(np.zeros((0,)), np.zeros((0,)))
    assert np.shape(empty) == (0,)


def test_labels_are_cast_to_the_loss_dtype():
    out = keras.losses.MeanSquaredError(reduction=None)(np.array([[1, 2]]), np.array([[1.5, 2.0]], dtype="float64"))
    assert out.dtype == np.float32
    loss64 = keras.losses.MeanSquaredError(dtype="float64")
    assert loss64.dtype == "float64"
    assert np.asarray(loss64(np.array([[1]]), np.array([[0.5]]))).dtype == np.float64


def test_rank_matching_labels_n_against_predictions_n_by_1():
    out = keras.losses.MeanSquaredError(reduction=None)(np.array([0.0, 1.0]), np.array([[1.0], [3.0]]))
    np.testing.assert_allclose(out, [1.0, 4.0])


def test_squeeze_or_expand_to_same_rank():
    a, b = squeeze_or_expand_to_same_rank(np.zeros((4, 1)), np.zeros(4))
    assert a.shape == b.shape == (4, 1)
    a, b = squeeze_or_expand_to_same_rank(np.zeros((4, 1)), np.zeros(4), expand_rank_1=False)
    assert a.shape == b.shape == (4,)
    a, b = squeeze_or_expand_to_same_rank(np.zeros((2, 3)), np.zeros((2, 3, 1)))
    assert a.shape == b.shape == (2, 3)
    a, b = squeeze_or_expand_to_same_rank(np.zeros((2, 3)), np.zeros(2))
    assert a.shape == (2, 3) and b.shape == (2,)


def test_reduce_weighted_values_with_mask_averages_over_valid_entries():
    values = np.array([1.0, 2.0, 3.0, 4.0], dtype="float32")
    mask = np.array([True, False, True, True])
    assert float(reduce_weighted_values(values, mask=mask)) == pytest.approx(8.0 / 3)
    assert float(reduce_weighted_values(values, mask=mask, reduction="sum")) == pytest.approx(8.0)
    weights = np.array([1.0, 1.0, 2.0, 0.0])
    out = reduce_weighted_values(values, sample_weight=weights, mask=mask, reduction="mean_with_sample_weight")
    assert float(out) == pytest.approx((1 + 6) / 3)


def test_gradient_flows_through_call_and_reduction():
    w = keras.Variable(Y_PRED)
    weights = np.array([1.0, 2.0, 3.0])
    with keras.GradientTape() as tape:
        loss = keras.losses.MeanSquaredError()(Y_TRUE, w, sample_weight=weights)
    grad = tape.gradient(loss, w)
    expected = 2 * (Y_PRED - Y_TRUE) / 2 * weights[:, None] / 3
    np.testing.assert_allclose(grad, expected, rtol=1e-6)


def test_invalid_reduction_and_name():
    with pytest.raises(ValueError, match="reduction.*'sum_over_batch_size'"):
        AbsoluteError(reduction="average")
    with pytest.raises(TypeError, match="name"):
        AbsoluteError(name=3)


def test_bad_sample_weight_shape_is_a_clear_error():
    with pytest.raises(ValueError, match=r"sample_weight.*\(5,\)"):
        AbsoluteError()(Y_TRUE, Y_PRED, sample_weight=np.ones(5))


def test_base_call_must_be_implemented():
    with pytest.raises(NotImplementedError, match="call"):
        Loss()(np.zeros(2), np.zeros(2))


def test_automatic_names_config_and_repr():
    assert AbsoluteError().name == "absolute_error"
    assert AbsoluteError().name == "absolute_error_1"
    loss = AbsoluteError(name="abs", reduction="sum")
    assert loss.get_config() == {"name": "abs", "reduction": "sum"}
    clone = AbsoluteError.from_config(loss.get_config())
    assert (clone.name, clone.reduction) == ("abs", "sum")
    assert "abs" in repr(loss)
