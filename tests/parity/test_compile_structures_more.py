"""`compile`'s loss and metrics structures against real Keras 3 (JAX): history keys and values,
evaluate's list and dict, for a loss on one output only, a flat metrics list with one entry
per output, a one-output model built with a list of outputs, and the optimizer's config with a
learning-rate schedule of the user's."""

import warnings

import numpy as np
import pytest

import nanokeras as nk


def _data(n=10, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.random((n, 4)).astype("float32")
    labels = rng.integers(0, 3, n)
    return x, labels, rng.random((n, 1)).astype("float32"), (x[:, :1] > 0.5).astype("float32")


def _two_heads(lib, names, weights=None):
    lib.backend.clear_session()
    inputs = lib.Input((4,))
    hidden = lib.layers.Dense(5, activation="relu", name="hidden")(inputs)
    first = lib.layers.Dense(3, activation="softmax", name=names[0])(hidden)
    second = lib.layers.Dense(1, activation="sigmoid", name=names[1])(hidden)
    model = lib.Model(inputs, [first, second])
    if weights is not None:
        model.set_weights(weights)
    return model


def _run(lib, weights, names, optimizer, loss, metrics, x, ys):
    model = _two_heads(lib, names, weights)
    model.compile(optimizer(lib), loss, metrics=metrics)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, ys, batch_size=5, epochs=2, verbose=0, shuffle=False)
    as_list = model.evaluate(x, ys, verbose=0)
    as_dict = model.evaluate(x, ys, verbose=0, return_dict=True)
    gradient_warnings = [str(w.message) for w in caught if "Gradients do not exist" in str(w.message)]
    return history.history, as_list, as_dict, model.get_weights(), gradient_warnings


def _compare(ours, theirs):
    our_history, our_list, our_dict, our_weights, our_warnings = ours
    their_history, their_list, their_dict, their_weights, _ = theirs
    assert sorted(our_history) == sorted(their_history)
    for key in their_history:
        np.testing.assert_allclose(our_history[key], their_history[key], rtol=1e-5, atol=1e-6)
    assert sorted(our_dict) == sorted(their_dict)
    for key in their_dict:
        np.testing.assert_allclose(our_dict[key], their_dict[key], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.atleast_1d(our_list), np.atleast_1d(their_list), rtol=1e-5, atol=1e-6)
    for mine, their in zip(our_weights, their_weights):
        np.testing.assert_allclose(mine, their, rtol=1e-5, atol=1e-6)
    assert our_warnings == []


@pytest.mark.parametrize("loss, metrics", [
    (["sparse_categorical_crossentropy", None], [["accuracy"], None]),
    ({"cls": "sparse_categorical_crossentropy", "reg": None}, {"cls": ["accuracy"]}),
    ([None, "mse"], [None, ["mae"]]),
])
@pytest.mark.parametrize("optimizer", [lambda lib: lib.optimizers.SGD(0.1),
                                       lambda lib: lib.optimizers.AdamW(0.05, weight_decay=0.5)],
                         ids=["sgd", "adamw"])
def test_a_loss_on_one_output_only(keras, loss, metrics, optimizer):
    x, labels, targets, _ = _data()
    weights = _two_heads(keras, ("cls", "reg")).get_weights()
    theirs = _run(keras, weights, ("cls", "reg"), optimizer, loss, metrics, x, [labels, targets])
    ours = _run(nk, weights, ("cls", "reg"), optimizer, loss, metrics, x, [labels, targets])
    assert not any(key.endswith("_loss") for key in theirs[0])
    _compare(ours, theirs)


@pytest.mark.parametrize("metrics", [["accuracy", "mse"], [["accuracy"], "mse"], ("accuracy", ["mse", "mae"]),
                                     [None, "mae"], ["accuracy", ["accuracy", "mse"]]])
def test_a_flat_metrics_list_with_one_entry_per_output(keras, metrics):
    x, labels, _, binary = _data()
    weights = _two_heads(keras, ("a", "b")).get_weights()
    loss = ["sparse_categorical_crossentropy", "binary_crossentropy"]
    optimizer = lambda lib: lib.optimizers.SGD(0.1)  # noqa: E731
    theirs = _run(keras, weights, ("a", "b"), optimizer, loss, metrics, x, [labels, binary])
    ours = _run(nk, weights, ("a", "b"), optimizer, loss, metrics, x, [labels, binary])
    _compare(ours, theirs)


@pytest.mark.parametrize("metrics", [["accuracy"], ["accuracy", "mse", "mae"]])
def test_a_flat_metrics_list_of_another_length_is_refused_by_both(keras, metrics):
    x, labels, _, binary = _data()
    for lib in (keras, nk):
        model = _two_heads(lib, ("a", "b"))
        model.compile("sgd", ["sparse_categorical_crossentropy", "binary_crossentropy"], metrics=metrics)
        with pytest.raises(ValueError):
            model.fit(x, [labels, binary], verbose=0)


@pytest.mark.parametrize("metrics", [["mae"], [["mae", "mse"]], {"d": "mae"}])
def test_one_output_given_as_a_list(keras, metrics):
    x, _, targets, _ = _data()
    results = []
    weights = None
    for lib in (keras, nk):
        lib.backend.clear_session()
        inputs = lib.Input((4,))
        model = lib.Model(inputs, [lib.layers.Dense(1, name="d")(inputs)])
        if weights is None:
            weights = model.get_weights()
        model.set_weights(weights)
        model.compile(lib.optimizers.SGD(0.1), "mse", metrics=metrics)
        history = model.fit(x, targets, batch_size=5, epochs=2, verbose=0, shuffle=False)
        results.append((history.history, model.evaluate(x, targets, verbose=0, return_dict=True)))
    (their_history, their_dict), (our_history, our_dict) = results
    assert sorted(our_history) == sorted(their_history)
    assert sorted(our_dict) == sorted(their_dict)
    for key in their_history:
        np.testing.assert_allclose(our_history[key], their_history[key], rtol=1e-5, atol=1e-6)


def _schedule_classes(lib, register):
    class HalvingSchedule(lib.optimizers.schedules.LearningRateSchedule):
        def __init__(self, initial=0.1, every=2):
            self.initial, self.every = initial, every

        def __call__(self, step):
            return self.initial * 0.5 ** lib.ops.floor(lib.ops.cast(step, "float32") / self.every)

        def get_config(self):
            return {"initial": self.initial, "every": self.every}

    if register:
        HalvingSchedule = lib.saving.register_keras_serializable(package="compile_structures_parity")(
            HalvingSchedule)
    return HalvingSchedule


def test_the_optimizer_config_writes_a_users_schedule_as_keras(keras):
    configs = []
    for lib in (keras, nk):
        schedule = _schedule_classes(lib, register=False)(0.2, 3)
        config = lib.optimizers.Adam(schedule).get_config()["learning_rate"]
        assert config == lib.saving.serialize_keras_object(schedule)
        assert config == lib.optimizers.schedules.serialize(schedule)
        configs.append(config)
    assert configs[1] == configs[0]
    assert configs[0]["registered_name"] == "HalvingSchedule"


def test_a_model_with_a_registered_schedule_loads_in_either_library(keras, tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 3)).astype("float32"), rng.random((8, 1)).astype("float32")
    classes = {lib: _schedule_classes(lib, register=True) for lib in (keras, nk)}
    weights = None
    saved = {}
    for lib in (keras, nk):
        lib.backend.clear_session()
        inputs = lib.Input((3,))
        model = lib.Model(inputs, lib.layers.Dense(1, name="d")(inputs))
        weights = model.get_weights() if weights is None else weights
        model.set_weights(weights)
        model.compile(lib.optimizers.Adam(classes[lib](0.1, 2)), "mse")
        model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
        saved[lib] = tmp_path / f"{lib.__name__}.keras"
        model.save(saved[lib])
    # Each file, loaded by each library, trains on from where it stopped: the same weights everywhere.
    results = []
    for path in saved.values():
        for lib in (keras, nk):
            loaded = lib.saving.load_model(path)
            assert isinstance(loaded.optimizer._learning_rate, classes[lib])
            assert loaded.optimizer._learning_rate.get_config() == {"initial": 0.1, "every": 2}
            history = loaded.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
            results.append((history.history["loss"], loaded.get_weights()))
    for losses, loaded_weights in results[1:]:
        np.testing.assert_allclose(losses, results[0][0], rtol=1e-5, atol=1e-6)
        for ours, theirs in zip(loaded_weights, results[0][1]):
            np.testing.assert_allclose(ours, theirs, rtol=1e-5, atol=1e-6)
