"""ModelCheckpoint and BackupAndRestore."""

import json
import os

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving
from nanokeras.callbacks.backup_and_restore import BackupAndRestore
from nanokeras.callbacks.callback import Callback
from nanokeras.callbacks.model_checkpoint import ModelCheckpoint


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((32, 4), dtype=np.float32)
    return x, (x.sum(axis=1, keepdims=True) > 2).astype("float32")


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, activation="relu"),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_templated_filepaths_every_epoch(tmp_path):
    x, y = _data()
    model = _model()
    pattern = str(tmp_path / "ckpt-{epoch:02d}-{val_loss:.2f}.keras")
    history = model.fit(x, y, epochs=3, batch_size=8, validation_split=0.25, verbose=0,
                        callbacks=[ModelCheckpoint(pattern)])
    expected = sorted(f"ckpt-{e + 1:02d}-{v:.2f}.keras" for e, v in enumerate(history.history["val_loss"]))
    assert sorted(os.listdir(tmp_path)) == expected
    last = saving.load_model(tmp_path / f"ckpt-03-{history.history['val_loss'][-1]:.2f}.keras")
    np.testing.assert_allclose(last.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_save_best_only_keeps_the_best_by_mode(tmp_path):
    x, y = _data()
    model = _model()

    class Record(Callback):
        def __init__(self):
            super().__init__()
            self.weights = []

        def on_epoch_end(self, epoch, logs=None):
            self.weights.append((logs["loss"], self.model.get_weights()))

    record = Record()
    path = str(tmp_path / "best.weights.h5")
    checkpoint = ModelCheckpoint(path, monitor="loss", save_best_only=True, save_weights_only=True, mode="min")
    model.fit(x, y, epochs=4, batch_size=8, verbose=0, callbacks=[record, checkpoint])
    best_loss, best_weights = min(record.weights, key=lambda item: item[0])
    assert checkpoint.best == pytest.approx(best_loss)
    fresh = _model()
    with pytest.warns(UserWarning, match="optimizer is not built yet"):  # its slots are skipped, as in Keras
        fresh.load_weights(path)
    for a, b in zip(best_weights, fresh.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_save_best_only_with_max_mode_and_threshold(tmp_path):
    x, y = _data()
    path = tmp_path / "m.keras"
    checkpoint = ModelCheckpoint(str(path), monitor="accuracy", save_best_only=True, mode="max",
                                 initial_value_threshold=2.0)
    _model().fit(x, y, epochs=2, verbose=0, callbacks=[checkpoint])
    assert not path.exists()  # accuracy never beats 2.0


def test_missing_monitor_warns_and_saves_as_keras(tmp_path):
    x, y = _data()
    path = tmp_path / "m.keras"
    with pytest.warns(UserWarning, match="val_loss available"):
        _model().fit(x, y, epochs=1, verbose=0, callbacks=[ModelCheckpoint(str(path), save_best_only=True, mode="min")])
    assert path.exists()  # Keras saves when it cannot tell whether the model improved


def test_integer_save_freq_saves_every_n_batches(tmp_path):
    x, y = _data()
    pattern = str(tmp_path / "b-{epoch}-{batch}.weights.h5")
    _model().fit(x, y, epochs=2, batch_size=8, verbose=0,
                 callbacks=[ModelCheckpoint(pattern, save_weights_only=True, save_freq=3)])
    # 4 batches per epoch: saves after batches 3 (epoch 1), 2 and 4... counted across epochs.
    assert sorted(os.listdir(tmp_path)) == ["b-1-3.weights.h5", "b-2-2.weights.h5"]


@pytest.mark.parametrize("kwargs, match", [
    ({"filepath": "x.txt"}, r"\.keras"),  # `.hdf5` is a Keras 2 idiom: tests/utils/test_keras2_idioms.py
    ({"filepath": "x.keras", "save_weights_only": True}, r"\.weights\.h5"),
    ({"filepath": "x.keras", "save_freq": 0}, "save_freq"),
    ({"filepath": "x.keras", "mode": "best"}, "mode"),
])
def test_model_checkpoint_argument_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        ModelCheckpoint(**kwargs)


def test_backup_and_restore_arguments():
    with pytest.raises(ValueError, match="backup_dir"):
        BackupAndRestore("")
    with pytest.raises(ValueError, match="save_freq"):
        BackupAndRestore("d", save_freq="batch")


class _Crash(Callback):
    def __init__(self, at_epoch):
        super().__init__()
        self.at_epoch = at_epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.at_epoch:
            raise RuntimeError("simulated crash")


def test_backup_is_written_and_removed(tmp_path):
    x, y = _data()
    backup_dir = tmp_path / "backup"
    model = _model()
    with pytest.raises(RuntimeError, match="simulated crash"):
        model.fit(x, y, epochs=5, shuffle=False, verbose=0,
                  callbacks=[BackupAndRestore(str(backup_dir)), _Crash(2)])
    assert sorted(os.listdir(backup_dir)) == ["latest.weights.h5", "training_metadata.json"]
    metadata = json.loads((backup_dir / "training_metadata.json").read_text())
    assert {k: metadata[k] for k in ("epoch", "batch")} == {"epoch": 2, "batch": 0}  # Keras's keys
    assert metadata["previous"]["epoch"] == 1  # the pair it replaced, for a crash between the two writes
    _model().fit(x, y, epochs=1, verbose=0, callbacks=[BackupAndRestore(str(tmp_path / "other"))])
    assert not (tmp_path / "other").exists()


def test_interrupted_training_resumes_exactly(tmp_path):
    x, y = _data()
    reference = _model()
    initial = reference.get_weights()
    reference.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0)

    model = _model()
    model.set_weights(initial)
    backup_dir = str(tmp_path / "backup")
    with pytest.raises(RuntimeError):
        model.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0,
                  callbacks=[BackupAndRestore(backup_dir), _Crash(3)])
    resumed = _model()  # a new process would rebuild the model from scratch
    seen = []

    class Epochs(Callback):
        def on_epoch_begin(self, epoch, logs=None):
            seen.append(epoch)

    resumed.fit(x, y, epochs=5, batch_size=8, shuffle=False, verbose=0,
                callbacks=[BackupAndRestore(backup_dir), Epochs()])
    assert seen == [3, 4]
    for a, b in zip(reference.weights, resumed.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert int(resumed.optimizer.iterations.numpy()) == int(reference.optimizer.iterations.numpy())


def test_checkpoints_in_the_legacy_h5_format(tmp_path):
    x, y = _data()
    model = _model()
    path = tmp_path / "ckpt-{epoch}.h5"
    with pytest.warns(UserWarning, match="legacy"):
        model.fit(x, y, epochs=2, verbose=0, callbacks=[ModelCheckpoint(str(path))])
    last = saving.load_model(tmp_path / "ckpt-2.h5")
    np.testing.assert_allclose(last.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
