"""Sample and class weights as Keras 3 takes them: class weights on the training part of a
`validation_split` only, per-timestep weights for sequence outputs, one weight array per
output of a multi-output model, and clear errors for what Keras refuses."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.trainers import data_adapter


def _binary_model(seed=0):
    rng = np.random.default_rng(seed)
    model = keras.Sequential([keras.Input((5,)), keras.layers.Dense(4, activation="tanh"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.set_weights([rng.normal(size=w.shape).astype("float32") * 0.5 for w in model.get_weights()])
    return model


def _binary_data(n=23):
    rng = np.random.default_rng(1)
    return rng.normal(size=(n, 5)).astype("float32"), (rng.random(n) > 0.5).astype("float32")


# ---------------------------------------------------- 1. class_weight + validation_split
def test_class_weight_does_not_weight_the_validation_split():
    x, y = _binary_data()
    model = _binary_model()
    model.compile(keras.optimizers.SGD(0.1), "binary_crossentropy", weighted_metrics=["accuracy"])
    history = model.fit(x, y, class_weight={0: 0.3, 1: 3.0}, validation_split=0.2, batch_size=5, epochs=1,
                        verbose=0, shuffle=False)
    # The validation part (the last 5 rows) is unweighted: evaluate it after training, with and without weights.
    split = int(np.floor(len(x) * 0.8))
    plain = model.evaluate(x[split:], y[split:], batch_size=5, verbose=0, return_dict=True)
    assert history.history["val_loss"][0] == pytest.approx(plain["loss"], abs=1e-6)
    weighted = model.evaluate(x[split:], y[split:], sample_weight=np.where(y[split:] == 1, 3.0, 0.3),
                              batch_size=5, verbose=0, return_dict=True)
    assert abs(weighted["loss"] - plain["loss"]) > 1e-3  # the check above can tell the two apart


def test_class_weight_still_weights_the_training_part_of_a_split():
    x, y = _binary_data()
    runs = []
    for class_weight in (None, {0: 0.3, 1: 3.0}):
        model = _binary_model()
        model.compile(keras.optimizers.SGD(0.1), "binary_crossentropy")
        runs.append(model.fit(x, y, class_weight=class_weight, validation_split=0.2, batch_size=5, epochs=1,
                              verbose=0, shuffle=False).history["loss"][0])
    assert abs(runs[0] - runs[1]) > 1e-3


# -------------------------------------------------------- 2. per-timestep sample weights
def _sequence_case(seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(10, 4, 3)).astype("float32")
    y = rng.integers(0, 5, (10, 4))
    sw = (rng.random((10, 4)) > 0.3).astype("float32")
    return x, y, sw


def _sequence_model(jit_compile="auto"):
    rng = np.random.default_rng(3)
    model = keras.Sequential([keras.Input((4, 3)), keras.layers.Dense(5)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    model.compile(keras.optimizers.SGD(0.1), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"], weighted_metrics=["accuracy"], jit_compile=jit_compile)
    return model


def _per_timestep_reference(model, x, y, sw):
    """The weighted loss of Keras's reduction: sum(w * loss) over the number of loss values."""
    logits = model.predict(x, verbose=0)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    losses = -np.take_along_axis(log_probs, y[..., None], axis=-1)[..., 0]
    hits = (logits.argmax(-1) == y).astype("float64")
    return (losses * sw).sum() / losses.size, (hits * sw).sum() / sw.sum(), hits.mean()


def test_per_timestep_sample_weights_weight_each_timestep():
    x, y, sw = _sequence_case()
    model = _sequence_model()
    logs = model.evaluate(x, y, sample_weight=sw, batch_size=10, verbose=0, return_dict=True)
    loss, weighted_accuracy, accuracy = _per_timestep_reference(model, x, y, sw)
    assert logs["loss"] == pytest.approx(loss, rel=1e-5)
    assert logs["weighted_accuracy"] == pytest.approx(weighted_accuracy, rel=1e-5)
    assert logs["accuracy"] == pytest.approx(accuracy, rel=1e-5)


def test_per_timestep_weights_train_and_the_compiled_step_equals_the_tape():
    x, y, sw = _sequence_case()
    results = []
    for jit_compile in ("auto", False):
        model = _sequence_model(jit_compile)
        history = model.fit(x, y, sample_weight=sw, batch_size=4, epochs=2, verbose=0, shuffle=False,
                            validation_data=(x, y, sw))
        results.append((history.history, model.get_weights(), model.compiled_step_reason))
    (compiled, compiled_weights, reason), (tape, tape_weights, _) = results
    assert reason == {}  # per-timestep weights run compiled
    assert compiled == tape
    for a, b in zip(compiled_weights, tape_weights):
        np.testing.assert_array_equal(a, b)
    assert compiled["loss"][1] < compiled["loss"][0]


def test_a_zero_timestep_weight_removes_that_timestep():
    x, y, sw = _sequence_case()
    model = _sequence_model()
    base = model.evaluate(x, y, sample_weight=sw, batch_size=10, verbose=0)[0]
    changed = y.copy()
    changed[sw == 0] = (changed[sw == 0] + 1) % 5  # other labels where the weight is 0
    assert model.evaluate(x, changed, sample_weight=sw, batch_size=10, verbose=0)[0] == pytest.approx(base, abs=1e-7)


@pytest.mark.parametrize("shape", [(10, 3), (10, 4, 5), (10,)])
def test_weights_that_do_not_fit_the_losses_are_a_clear_error(shape):
    x, y, _ = _sequence_case()
    model = _sequence_model()
    with pytest.raises(ValueError, match=r"`sample_weight` of shape .* cannot be applied to the losses of shape "
                                         r"\(4, 4\)"):
        model.fit(x, y, sample_weight=np.ones(shape, "float32"), batch_size=4, verbose=0)


def test_weights_with_a_trailing_axis_of_one_fit_per_timestep_losses():
    x, y, sw = _sequence_case()
    model = _sequence_model()
    expected = model.evaluate(x, y, sample_weight=sw, batch_size=4, verbose=0)
    assert model.evaluate(x, y, sample_weight=sw[..., None], batch_size=4, verbose=0) == pytest.approx(expected)


def test_weights_with_the_wrong_number_of_rows_name_both_counts():
    x, y, _ = _sequence_case()
    model = _sequence_model()
    with pytest.raises(ValueError, match=r"`sample_weight` has 9 rows \(shape \(9, 4\)\) but the data has 10 samples"):
        model.fit(x, y, sample_weight=np.ones((9, 4)), verbose=0)


def test_negative_per_timestep_weights_are_refused():
    x, y, sw = _sequence_case()
    sw[0, 0] = -1
    with pytest.raises(ValueError, match="non-negative"):
        _sequence_model().fit(x, y, sample_weight=sw, verbose=0)


# ---------------------------------------------------- 3. one sample_weight per output
def _two_outputs():
    rng = np.random.default_rng(0)
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, activation="relu")(inputs)
    model = keras.Model(inputs, [keras.layers.Dense(3, activation="softmax", name="cls")(hidden),
                                 keras.layers.Dense(2, name="reg")(hidden)])
    model.set_weights([rng.normal(size=w.shape).astype("float32") for w in model.get_weights()])
    model.compile(keras.optimizers.SGD(0.05), {"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                  weighted_metrics={"cls": ["accuracy"], "reg": ["mae"]})
    return model


def _two_output_data():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(12, 3)).astype("float32")
    return (x, rng.integers(0, 3, 12), rng.normal(size=(12, 2)).astype("float32"),
            rng.random(12).astype("float32"), rng.random(12).astype("float32"))


def test_per_output_weights_that_do_not_match_y_are_explained():
    x, y, y2, sw, sw2 = _two_output_data()
    model = _two_outputs()
    with pytest.raises(ValueError, match=r"one array per output of `y`.*a list of 2 entries.*a list of 3 entries"):
        model.fit(x, [y, y2], sample_weight=[sw, sw2, sw], verbose=0)
    with pytest.raises(ValueError, match=r"`sample_weight\[1\]` has 11 rows"):
        model.fit(x, [y, y2], sample_weight=[sw, sw2[:11]], verbose=0)


def test_one_non_per_sample_array_for_several_outputs_is_refused():
    x, y, y2, _, _ = _two_output_data()
    with pytest.raises(ValueError, match=r"one array of shape \(12, 2\) for a model with 2 outputs"):
        _two_outputs().fit(x, [y, y2], sample_weight=np.ones((12, 2)), verbose=0)


# ------------------------------------------------------ 4. class_weight and several outputs
def test_class_weight_with_several_outputs_is_a_clear_value_error():
    x, y, y2, _, _ = _two_output_data()
    with pytest.raises(ValueError, match="`class_weight` is only supported for models with a single output"):
        _two_outputs().fit(x, [y, y2], class_weight={0: 1.0, 1: 2.0, 2: 3.0}, verbose=0)
    with pytest.raises(ValueError, match="`class_weight` is only supported for models with a single output"):
        _two_outputs().train_on_batch(x, [y, y2], class_weight={0: 1.0, 1: 2.0, 2: 3.0})


def test_class_weight_with_several_outputs_in_batches_is_a_clear_value_error():
    x, y, y2, _, _ = _two_output_data()
    batches = [(x[:6], [y[:6], y2[:6]]), (x[6:], [y[6:], y2[6:]])]
    with pytest.raises(ValueError, match="`class_weight` is only supported for models with a single output"):
        _two_outputs().fit(iter(batches), class_weight={0: 1.0, 1: 2.0, 2: 3.0}, verbose=0)


def test_standardize_sample_weight_keeps_one_weight_per_sample_arrays_one_dimensional():
    assert data_adapter.standardize_sample_weight(np.ones((3, 1)), 3).shape == (3,)
    assert data_adapter.standardize_sample_weight([1, 2, 3], 3).dtype == np.float32
    assert data_adapter.standardize_sample_weight(np.ones((3, 4)), 3).shape == (3, 4)


def test_one_weight_array_in_a_list_is_the_weights_of_a_single_output():
    x, y = _binary_data(12)
    sw = np.linspace(0.1, 2.0, 12).astype("float32")
    model = _binary_model()
    model.compile("sgd", "binary_crossentropy")
    expected = model.evaluate(x, y, sample_weight=sw, verbose=0)
    assert model.evaluate(x, y, sample_weight=[sw], verbose=0) == pytest.approx(expected)
    assert model.evaluate(x, [y], sample_weight=[sw], verbose=0) == pytest.approx(expected)
