"""Loss classes: options read at call time, and the label conversion each loss declares."""

import inspect

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.ops import crossentropy as ce

L = keras.losses

Y_BINARY = np.array([[1.0, 0.0], [0.0, 1.0]], "float32")
LOGITS = np.array([[2.0, -1.0], [0.5, 3.0]], "float32")


@pytest.mark.parametrize("sample_weight", [None, np.array([1.0, 0.5], "float32")])
def test_changing_from_logits_after_construction_takes_effect(sample_weight):
    loss = L.BinaryCrossentropy()
    before = float(loss(Y_BINARY, np.array([[0.9, 0.2], [0.3, 0.6]], "float32"), sample_weight))
    assert np.isfinite(before)
    loss.from_logits = True
    expected = L.BinaryCrossentropy(from_logits=True)(Y_BINARY, LOGITS, sample_weight)
    assert float(loss(Y_BINARY, LOGITS, sample_weight)) == float(expected)
    # and on the tape (the fused one-node path), with the same gradient
    w = keras.Variable(LOGITS)
    with keras.GradientTape() as tape:
        value = loss(Y_BINARY, w, sample_weight)
    grad = tape.gradient(value, w)
    with keras.GradientTape() as tape:
        reference = L.BinaryCrossentropy(from_logits=True)(Y_BINARY, w, sample_weight)
    np.testing.assert_array_equal(grad, tape.gradient(reference, w))
    assert loss.get_config()["from_logits"] is True


def test_changing_options_and_reduction_after_construction_takes_effect():
    y = np.array([0, 2], "int32")
    p = np.array([[0.2, 0.5, 0.3], [0.1, 0.1, 0.8]], "float32")
    loss = L.SparseCategoricalCrossentropy()
    loss.ignore_class = 0
    np.testing.assert_allclose(loss(y, p), L.SparseCategoricalCrossentropy(ignore_class=0)(y, p))
    loss.reduction = "sum"
    np.testing.assert_allclose(loss(y, p), L.SparseCategoricalCrossentropy(ignore_class=0, reduction="sum")(y, p))
    cce = L.CategoricalCrossentropy()
    cce.label_smoothing = 0.2
    onehot = np.eye(3, dtype="float32")[[1, 2]]
    np.testing.assert_allclose(cce(onehot, p), L.CategoricalCrossentropy(label_smoothing=0.2)(onehot, p))


def test_the_fused_mean_equals_the_unfused_reduction():
    y = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], "float32")
    p = np.array([[0.7, 0.2, 0.9], [0.4, 0.6, 0.99]], "float32")
    fused = L.BinaryCrossentropy()(y, p)
    unfused = L.BinaryCrossentropy()(y, p, sample_weight=np.ones(2, "float32"))
    np.testing.assert_allclose(fused, unfused, rtol=1e-6)


def test_public_crossentropy_ops_take_no_private_arguments():
    for fn in (keras.ops.binary_crossentropy, keras.ops.categorical_crossentropy,
               keras.ops.sparse_categorical_crossentropy, ce.binary_crossentropy, ce.categorical_crossentropy,
               ce.sparse_categorical_crossentropy):
        assert not [name for name in inspect.signature(fn).parameters if name.startswith("_")]


@pytest.mark.parametrize("loss,expected", [
    (L.MeanSquaredError(), True), (L.MeanAbsoluteError(), True), (L.MeanAbsolutePercentageError(), True),
    (L.MeanSquaredLogarithmicError(), True), (L.CosineSimilarity(), True), (L.Huber(), True), (L.LogCosh(), True),
    (L.Hinge(), True), (L.SquaredHinge(), True), (L.CategoricalHinge(), True), (L.KLDivergence(), True),
    (L.Poisson(), True), (L.BinaryCrossentropy(), True), (L.BinaryFocalCrossentropy(), True),
    (L.CategoricalCrossentropy(), True), (L.SparseCategoricalCrossentropy(), False),
    (L.LossFunctionWrapper(L.mean_squared_error), True), (L.LossFunctionWrapper(L.binary_crossentropy), True),
    (L.LossFunctionWrapper(L.sparse_categorical_crossentropy), False),
    (L.LossFunctionWrapper(lambda y, p: keras.ops.abs(p - y)), False),
])
def test_each_loss_declares_whether_it_casts_labels_to_floats(loss, expected):
    assert loss.casts_labels_to_float is expected


def test_user_losses_get_their_labels_as_given():
    class Absolute(L.Loss):
        def call(self, y_true, y_pred):
            return keras.ops.abs(y_pred - y_true)

    assert L.Loss.casts_labels_to_float is False
    assert Absolute().casts_labels_to_float is False


def test_a_built_in_loss_converts_integer_labels_like_float_labels():
    # What the declaration promises: converting labels first changes nothing.
    p = np.array([[0.3, 0.6], [0.8, 0.1]], "float32")
    labels = np.array([[0, 1], [1, 0]])
    for loss in (L.BinaryCrossentropy(), L.MeanSquaredError(), L.Hinge(), L.CategoricalCrossentropy()):
        assert loss.casts_labels_to_float
        assert float(loss(labels, p)) == float(loss(labels.astype("float32"), p))
