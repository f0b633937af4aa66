"""`check_targets`: one check of the whole label array against the loss, before training."""

import inspect

import numpy as np
import pytest

from nanokeras import losses
from nanokeras.losses import check_targets

SPARSE_FORMS = [
    "sparse_categorical_crossentropy",
    losses.sparse_categorical_crossentropy,
    losses.SparseCategoricalCrossentropy(from_logits=True),
    losses.LossFunctionWrapper(losses.sparse_categorical_crossentropy),
    "SparseCategoricalCrossentropy",
]


def _form_id(loss):
    """A test id that is the same in every process (a function's repr holds its address)."""
    if inspect.isfunction(loss):
        return f"function-{loss.__name__}"
    return str(loss)


@pytest.mark.parametrize("loss", SPARSE_FORMS, ids=_form_id)
def test_sparse_valid_labels_pass(loss):
    assert check_targets(loss, np.array([0, 1, 2, 2]), (None, 3)) is None
    assert check_targets(loss, np.array([[0], [2]]), (None, 3)) is None
    assert check_targets(loss, np.array([0.0, 2.0]), (None, 3)) is None
    assert check_targets(loss, [0, 1], (4, 3)) is None


@pytest.mark.parametrize("loss", SPARSE_FORMS, ids=_form_id)
def test_sparse_label_out_of_range_names_value_and_range(loss):
    with pytest.raises(ValueError, match=r"`y`.*found 3.*\[0, 3\)"):
        check_targets(loss, np.array([0, 3, 1]), (None, 3))
    with pytest.raises(ValueError, match=r"`y`.*found -1.*\[0, 3\)"):
        check_targets(loss, np.array([0, -1, 1]), (None, 3))


def test_sparse_labels_starting_at_one_get_a_hint():
    with pytest.raises(ValueError, match="subtract 1"):
        check_targets("sparse_categorical_crossentropy", np.array([1, 2, 3]), (None, 3))
    with pytest.raises(ValueError, match="10 units"):
        check_targets("sparse_categorical_crossentropy", np.array([0, 9]), (None, 3))


def test_sparse_non_integer_labels():
    with pytest.raises(ValueError, match=r"integer class indices.*0\.5"):
        check_targets("sparse_categorical_crossentropy", np.array([0.0, 0.5]), (None, 3))
    with pytest.raises(ValueError, match="integer class indices"):
        check_targets("sparse_categorical_crossentropy", np.array([0.0, np.nan]), (None, 3))
    with pytest.raises(ValueError, match="numeric"):
        check_targets("sparse_categorical_crossentropy", np.array(["cat", "dog"]), (None, 3))


def test_sparse_one_hot_labels_suggest_categorical():
    with pytest.raises(ValueError, match="categorical_crossentropy"):
        check_targets("sparse_categorical_crossentropy", np.eye(3), (None, 3))


def test_sparse_ignore_class_is_allowed_out_of_range():
    loss = losses.SparseCategoricalCrossentropy(ignore_class=255)
    assert check_targets(loss, np.array([0, 255, 2]), (None, 3)) is None
    with pytest.raises(ValueError, match="found 7"):
        check_targets(loss, np.array([0, 255, 7]), (None, 3))


def test_categorical_with_integer_labels_suggests_sparse_or_to_categorical():
    for labels in (np.array([0, 2, 1]), np.array([[0], [2], [1]])):
        with pytest.raises(ValueError, match=r"sparse_categorical_crossentropy.*to_categorical\(y\)"):
            check_targets("categorical_crossentropy", labels, (None, 3))


def test_categorical_class_count_mismatch_names_both_shapes():
    with pytest.raises(ValueError, match=r"\(4, 5\).*\(None, 3\)"):
        check_targets(losses.CategoricalCrossentropy(), np.eye(5)[:4], (None, 3))


def test_categorical_valid():
    assert check_targets(losses.categorical_crossentropy, np.eye(3), (None, 3)) is None
    assert check_targets("CategoricalCrossentropy", np.full((2, 3), 1 / 3), (None, 3)) is None


@pytest.mark.parametrize(
    "loss", ["binary_crossentropy", "bce", losses.BinaryCrossentropy(from_logits=True), losses.binary_focal_crossentropy]
)
def test_binary_labels_must_be_in_unit_interval(loss):
    assert check_targets(loss, np.array([0, 1, 1, 0]), (None, 1)) is None
    assert check_targets(loss, np.array([0.2, 0.9]), (None, 1)) is None
    with pytest.raises(ValueError, match=r"\[0, 1\].*`y` contains 2"):
        check_targets(loss, np.array([0, 1, 2]), (None, 1))
    with pytest.raises(ValueError, match=r"`y` contains -1"):
        check_targets(loss, np.array([-1, 1]), (None, 1))


def test_other_losses_are_not_checked():
    assert check_targets("mse", np.array([100.0, -5.0]), (None, 1)) is None
    assert check_targets(lambda y_true, y_pred: y_pred, np.array([7]), (None, 1)) is None
    assert check_targets(losses.Huber(), np.array([7]), (None, 1)) is None
    assert check_targets("sparse_categorical_crossentropy", None, (None, 3)) is None
