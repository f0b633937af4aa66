"""What `fit`/`evaluate`/`predict` take besides arrays (issue 13): named inputs, pandas, generators,
any iterable, PyDataset read ahead by threads or processes, tf.data, torch; and bad batches."""

import os
import subprocess
import sys
import textwrap
import threading

import numpy as np
import pytest

import nanokeras as keras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(24, 3)).astype("float32")
Y = (X @ np.array([[1.0], [-2.0], [0.5]], "float32")).astype("float32")
W = np.linspace(0.5, 1.5, 24).astype("float32")
BATCH = 6


def model_and_weights():
    keras.utils.set_random_seed(3)
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="tanh"), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.05), "mse")
    return model, model.get_weights()


def reference(epochs=2, batches=None, **fit_kwargs):
    """The same training on arrays (unshuffled), optionally on the first `batches` batches only."""
    model, _ = model_and_weights()
    n = len(X) if batches is None else batches * BATCH
    history = model.fit(X[:n], Y[:n], batch_size=BATCH, epochs=epochs, shuffle=False, verbose=0, **fit_kwargs)
    return model, history.history


def batch_generator(weights=False, loop=False):
    while True:
        for start in range(0, len(X), BATCH):
            rows = slice(start, start + BATCH)
            yield (X[rows], Y[rows], W[rows]) if weights else (X[rows], Y[rows])
        if not loop:
            return


class Batches(keras.utils.PyDataset):
    def __init__(self, fail_at=None, **kwargs):
        super().__init__(**kwargs)
        self.fail_at = fail_at

    def __len__(self):
        return len(X) // BATCH

    def __getitem__(self, index):
        if index == self.fail_at:
            raise KeyError(f"no batch {index} here")
        rows = slice(index * BATCH, (index + 1) * BATCH)
        return X[rows], Y[rows]


def assert_same_weights(model, expected):
    for a, b in zip(model.get_weights(), expected.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_named_inputs_and_pandas_objects():
    pd = pytest.importorskip("pandas")
    a, b = keras.Input((2,), name="a"), keras.Input((1,), name="b")
    model = keras.Model({"a": a, "b": b}, keras.layers.Dense(1)(keras.layers.Concatenate()([a, b])))
    model.compile("sgd", "mse")
    frame = pd.DataFrame({"f0": X[:, 0], "f1": X[:, 1], "f2": X[:, 2]})
    history = model.fit({"a": frame[["f0", "f1"]], "b": frame["f2"].to_frame()}, pd.Series(Y[:, 0]),
                        batch_size=BATCH, shuffle=False, verbose=0).history
    twin = keras.Model.from_config(model.get_config())
    twin.set_weights(model.get_weights())
    assert np.isfinite(history["loss"][0])
    np.testing.assert_allclose(model.predict({"a": frame[["f0", "f1"]], "b": frame[["f2"]]}, verbose=0),
                               twin.predict({"a": X[:, :2], "b": X[:, 2:]}, verbose=0))


def test_generators_with_and_without_weights_train_like_arrays():
    expected, history = reference(epochs=1)
    model, _ = model_and_weights()
    with pytest.warns(UserWarning, match="ran out of data"):  # as Keras, at the end of a finite generator
        assert model.fit(batch_generator(), epochs=1, verbose=0).history == history
    assert_same_weights(model, expected)
    assert model.compiled_step_reason == {}  # the batches went through the compiled step
    weighted, _ = model_and_weights()
    expected_weighted, _ = reference(epochs=1, sample_weight=W)
    with pytest.warns(UserWarning, match="ran out of data"):
        weighted.fit(batch_generator(weights=True), epochs=1, verbose=0)
    assert_same_weights(weighted, expected_weighted)


def test_endless_generator_with_steps_and_validation_steps():
    expected, history = reference(epochs=3, validation_data=(X[:12], Y[:12]), validation_batch_size=BATCH)
    model, _ = model_and_weights()
    def first_half_forever():  # (each validation starts a new pass: the 2 batches read first, as Keras)
        while True:
            yield X[:6], Y[:6]
            yield X[6:12], Y[6:12]

    result = model.fit(batch_generator(loop=True), steps_per_epoch=4, epochs=3, verbose=0,
                       validation_data=first_half_forever(), validation_steps=2).history
    np.testing.assert_allclose(result["loss"], history["loss"], rtol=1e-6)
    np.testing.assert_allclose(result["val_loss"], history["val_loss"], rtol=1e-6)
    assert_same_weights(model, expected)


def test_any_iterable_is_read_anew_each_epoch():
    class Iterable:
        def __iter__(self):
            return batch_generator()

    expected, history = reference(epochs=2)
    model, _ = model_and_weights()
    assert model.fit(Iterable(), epochs=2, verbose=0).history == history
    assert_same_weights(model, expected)
    np.testing.assert_array_equal(model.predict(Iterable(), verbose=0), expected.predict(X, verbose=0))
    assert model.evaluate(Iterable(), verbose=0) == expected.evaluate(X, Y, batch_size=BATCH, verbose=0)


@pytest.mark.parametrize("workers,max_queue_size", [(1, 10), (3, 2), (4, 10)])
def test_py_dataset_read_ahead_by_threads_keeps_order(workers, max_queue_size):
    expected, history = reference(epochs=2)
    model, _ = model_and_weights()
    result = model.fit(Batches(workers=workers, max_queue_size=max_queue_size), epochs=2, shuffle=False,
                       verbose=0).history
    assert result == history
    assert_same_weights(model, expected)
    assert not [t for t in threading.enumerate() if t.name.startswith("py_dataset")]


def test_py_dataset_in_worker_processes(tmp_path):
    # A fresh interpreter: forking this test process (which may hold JAX/TensorFlow threads) is unsafe.
    script = tmp_path / "train.py"
    script.write_text(textwrap.dedent(f"""
        import numpy as np, nanokeras as keras
        import sys; sys.path.insert(0, {os.path.dirname(__file__)!r})
        from test_data_pipelines import Batches, model_and_weights, reference
        expected, history = reference(epochs=2)
        model, _ = model_and_weights()
        result = model.fit(Batches(workers=2, use_multiprocessing=True, max_queue_size=3), epochs=2,
                           shuffle=False, verbose=0).history
        assert result == history, (result, history)
        for a, b in zip(model.get_weights(), expected.get_weights()):
            np.testing.assert_array_equal(a, b)
        import multiprocessing
        assert not multiprocessing.active_children()
        print("OK")
    """))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([os.getcwd(), env_path()]))
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300)
    assert result.stdout.strip().endswith("OK"), result.stderr[-2000:]


def env_path():
    return os.environ.get("PYTHONPATH", "")


@pytest.mark.parametrize("workers", [1, 3])
def test_a_failing_getitem_names_its_batch_and_keeps_the_completed_steps(workers):
    expected, _ = reference(epochs=1, batches=2)
    model, _ = model_and_weights()
    with pytest.raises(KeyError, match="batch 2 of `x`"):
        model.fit(Batches(fail_at=2, workers=workers), epochs=1, shuffle=False, verbose=0)
    assert_same_weights(model, expected)
    assert not [t for t in threading.enumerate() if t.name.startswith("py_dataset")]


def test_bad_batches_name_their_index_and_leave_the_completed_steps():
    def inconsistent():
        yield X[:6], Y[:6]
        yield X[6:12], Y[6:12]
        yield X[12:18, :2], Y[12:18]

    expected, _ = reference(epochs=1, batches=2)
    model, _ = model_and_weights()
    with pytest.raises(ValueError, match=r"batch 2 of `x`.*shape \(6, 2\)"):
        model.fit(inconsistent(), epochs=1, verbose=0)
    assert_same_weights(model, expected)

    def wrong_length():
        yield X[:6], Y[:6]
        yield X[6:12], Y[6:12], W[6:12], W[6:12]

    model, _ = model_and_weights()
    with pytest.raises(ValueError, match="batch 1 of `x`.*tuple of 4 items"):
        model.fit(wrong_length(), epochs=1, verbose=0)

    def mismatched():
        yield X[:6], Y[:5]

    with pytest.raises(ValueError, match="batch 0 of `x`.*same number of samples"):
        model_and_weights()[0].fit(mismatched(), epochs=1, verbose=0)


def test_a_generator_ending_before_steps_per_epoch():
    expected, _ = reference(epochs=1, batches=4)
    model, _ = model_and_weights()
    with pytest.warns(UserWarning, match="ran out of data after 4 batch.*of epoch 1"):  # the epoch ends there
        model.fit(batch_generator(), steps_per_epoch=6, epochs=1, verbose=0)
    assert_same_weights(model, expected)


def test_unknown_total_progress_bar_learns_the_count(capsys):
    model, _ = model_and_weights()

    class Iterable:
        def __iter__(self):
            return batch_generator()

    model.fit(Iterable(), epochs=2, verbose=2)
    out = capsys.readouterr().out
    assert "Epoch 1/2" in out and "4/4" in out


def test_tf_data_datasets():
    tf = pytest.importorskip("tensorflow")
    dataset = tf.data.Dataset.from_tensor_slices((X, Y)).batch(BATCH)
    expected, history = reference(epochs=2, validation_data=(X, Y), validation_batch_size=BATCH)
    model, _ = model_and_weights()
    result = model.fit(dataset, epochs=2, validation_data=dataset, verbose=0).history
    np.testing.assert_allclose(result["loss"], history["loss"], rtol=1e-6)
    np.testing.assert_allclose(result["val_loss"], history["val_loss"], rtol=1e-6)
    assert_same_weights(model, expected)
    np.testing.assert_array_equal(model.predict(dataset.map(lambda x, y: x), verbose=0),
                                  expected.predict(X, verbose=0))
    repeated, _ = model_and_weights()
    with pytest.raises(ValueError, match="repeats forever"):
        repeated.fit(dataset.repeat(), epochs=1, verbose=0)
    repeated.fit(dataset.repeat(), steps_per_epoch=4, epochs=2, verbose=0)
    assert_same_weights(repeated, expected)


def test_torch_data_loader():
    try:
        import torch
        from torch.utils.data import DataLoader, TensorDataset
    except ImportError:
        pytest.skip("TORCH SKIPPED: PyTorch is not installed, so fit on a torch DataLoader is not checked here.")
    loader = DataLoader(TensorDataset(torch.from_numpy(X), torch.from_numpy(Y)), batch_size=BATCH, shuffle=False)
    expected, history = reference(epochs=2)
    model, _ = model_and_weights()
    assert model.fit(loader, epochs=2, verbose=0).history == history
    assert_same_weights(model, expected)


def test_py_dataset_arguments_are_checked():
    with pytest.raises(ValueError, match="workers"):
        Batches(workers=0)
    with pytest.raises(ValueError, match="max_queue_size"):
        Batches(max_queue_size=True)
