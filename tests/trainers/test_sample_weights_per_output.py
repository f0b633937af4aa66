"""One `sample_weight` array per output of a multi-output model, mapped to its output as
Keras maps it (for the loss and the weighted metrics)."""

import numpy as np
import pytest

import nanokeras as keras
from tests.trainers.test_sample_weights import _two_output_data, _two_outputs


def test_a_list_of_sample_weights_weights_each_output_with_its_own():
    x, y, y2, sw, sw2 = _two_output_data()
    model = _two_outputs()
    logs = model.evaluate(x, [y, y2], sample_weight=[sw, sw2], batch_size=12, verbose=0, return_dict=True)
    # Each output alone, weighted by its own array (the other output's weights set to 0 change nothing there).
    cls_alone = model.evaluate(x, [y, y2], sample_weight=[sw, np.zeros(12)], batch_size=12, verbose=0,
                               return_dict=True)
    reg_alone = model.evaluate(x, [y, y2], sample_weight=[np.zeros(12), sw2], batch_size=12, verbose=0,
                               return_dict=True)
    assert logs["cls_loss"] == pytest.approx(cls_alone["cls_loss"])
    assert logs["reg_loss"] == pytest.approx(reg_alone["reg_loss"])
    assert logs["reg_mae"] == pytest.approx(reg_alone["reg_mae"])
    assert logs["cls_accuracy"] == pytest.approx(cls_alone["cls_accuracy"])
    probabilities, regression = model.predict(x, verbose=0)
    cls = -np.log(probabilities[np.arange(12), y])
    assert logs["cls_loss"] == pytest.approx((cls * sw).sum() / 12, rel=1e-5)
    assert logs["reg_loss"] == pytest.approx((((regression - y2) ** 2).mean(-1) * sw2).sum() / 12, rel=1e-5)
    assert logs["reg_mae"] == pytest.approx((np.abs(regression - y2).mean(-1) * sw2).sum() / sw2.sum(), rel=1e-5)


def test_a_dict_of_sample_weights_follows_the_output_names():
    x, y, y2, sw, sw2 = _two_output_data()
    model = _two_outputs()
    by_list = model.evaluate(x, [y, y2], sample_weight=[sw, sw2], verbose=0, return_dict=True)
    by_dict = model.evaluate(x, {"reg": y2, "cls": y}, sample_weight={"reg": sw2, "cls": sw}, verbose=0,
                             return_dict=True)
    assert by_dict == pytest.approx(by_list)


def test_per_output_weights_train_and_the_compiled_step_equals_the_tape():
    x, y, y2, sw, sw2 = _two_output_data()
    results = []
    for jit_compile in ("auto", False):
        model = _two_outputs()
        model.compile(keras.optimizers.SGD(0.05), {"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                      weighted_metrics={"cls": ["accuracy"], "reg": ["mae"]}, jit_compile=jit_compile)
        history = model.fit(x, [y, y2], sample_weight=[sw, sw2], batch_size=4, epochs=2, verbose=0, shuffle=False,
                            validation_split=0.25)
        results.append((history.history, model.get_weights(), model.compiled_step_reason))
    assert results[0][2] == {}
    assert results[0][0] == results[1][0]
    for a, b in zip(results[0][1], results[1][1]):
        np.testing.assert_array_equal(a, b)


def test_one_per_sample_array_is_used_for_every_output():
    x, y, y2, sw, _ = _two_output_data()
    model = _two_outputs()
    shared = model.evaluate(x, [y, y2], sample_weight=sw, verbose=0, return_dict=True)
    assert shared == pytest.approx(model.evaluate(x, [y, y2], sample_weight=[sw, sw], verbose=0, return_dict=True))


