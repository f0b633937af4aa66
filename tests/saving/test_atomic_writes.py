"""Saves are atomic, clean up after themselves and after killed saves, and name the user's path."""

import json
import os
import pathlib
import signal
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving
from nanokeras.callbacks.backup_and_restore import BackupAndRestore
from nanokeras.callbacks.model_checkpoint import ModelCheckpoint
from nanokeras.saving import atomic_file

REPO = str(pathlib.Path(keras.__file__).resolve().parent.parent)


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    return model


def _temp_files(directory):
    return sorted(n for n in os.listdir(directory) if n.startswith(".nanokeras-") and n.endswith(".tmp"))


def test_a_killed_save_leaves_the_previous_file_and_the_next_save_removes_its_temp_file(tmp_path):
    path = tmp_path / "model.keras"
    _model().save(path)
    before = path.read_bytes()
    # A child process that stops forever in the middle of writing the archive, then is SIGKILLed.
    child = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time, zipfile, nanokeras as keras
        original = zipfile.ZipFile.writestr
        def slow(self, name, data, *args, **kwargs):
            original(self, name, data, *args, **kwargs)
            if name == "config.json":
                print("writing", flush=True)
                time.sleep(600)
        zipfile.ZipFile.writestr = slow
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
        model.save({str(path)!r})
    """)], stdout=subprocess.PIPE, text=True, env=dict(os.environ, PYTHONPATH=REPO), cwd=REPO)
    try:
        assert child.stdout.readline().strip() == "writing"
        stale = _temp_files(tmp_path)
        assert len(stale) == 1 and "model.keras" in stale[0]
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert path.read_bytes() == before  # Keras loses the previous file here; we keep it
    assert _temp_files(tmp_path) == stale
    _model().save(path)
    assert _temp_files(tmp_path) == []
    assert saving.load_model(path, compile=False).layers[0].units == 2


def test_temp_files_of_live_saves_and_of_other_targets_are_left_alone(tmp_path):
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        mine = atomic_file._temp_prefix(str(tmp_path / "model.keras"))
        other_pid = mine.replace(f"-{os.getpid()}-", f"-{live.pid}-")
        names = [other_pid + "abc.tmp",  # a save in progress in another live process
                 mine + "def.tmp",  # this process (another thread may be saving)
                 atomic_file._temp_prefix(str(tmp_path / "other.keras")).replace(f"-{os.getpid()}-", "-999999999-")
                 + "ghi.tmp"]  # a dead process, but another target
        for name in names:
            (tmp_path / name).write_bytes(b"partial")
        _model().save(tmp_path / "model.keras")
        assert _temp_files(tmp_path) == sorted(names)
    finally:
        live.kill()
        live.wait()


def test_every_exit_path_removes_the_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "m.weights.h5"
    model = _model()
    model.save_weights(path)
    before = path.read_bytes()

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupt)
    with pytest.raises(KeyboardInterrupt):
        model.save_weights(path)
    assert os.listdir(tmp_path) == ["m.weights.h5"] and path.read_bytes() == before


@pytest.mark.parametrize("where", ["mkstemp", "replace"])
def test_errors_name_the_users_path_not_the_temp_file(tmp_path, monkeypatch, where):
    path = tmp_path / "m.keras"

    def refuse(*args, **kwargs):
        temp = str(tmp_path / ".nanokeras-m.keras-00000000-1-x.tmp")
        raise PermissionError(13, "Permission denied", temp)

    target = atomic_file.tempfile if where == "mkstemp" else os
    monkeypatch.setattr(target, where, refuse)
    with pytest.raises(PermissionError) as info:
        _model().save(path)
    assert str(path) in str(info.value) and ".nanokeras-" not in str(info.value)
    assert os.listdir(tmp_path) == []


def test_a_full_disk_is_reported_for_the_users_path(tmp_path, monkeypatch):
    import errno

    def full(self, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic_file.os, "fdopen", lambda handle, mode: _Full(handle))

    class _Full:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            os.close(self.handle)
            return False

        write = full

    with pytest.raises(OSError, match="No space left") as info:
        _model().save_weights(tmp_path / "w.weights.h5")
    assert info.value.filename == str(tmp_path / "w.weights.h5")
    assert os.listdir(tmp_path) == []


def _data():
    rng = np.random.default_rng(0)
    x = rng.random((16, 3), dtype=np.float32)
    return x, x.sum(axis=1, keepdims=True)


def test_backup_pair_is_all_or_nothing_when_a_save_dies_between_its_two_files(tmp_path, monkeypatch):
    x, y = _data()
    backup_dir = tmp_path / "backup"
    model = _model()
    snapshots = {}

    class Snapshot(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            snapshots[epoch + 1] = self.model.get_weights()

    from nanokeras.saving import saving_lib

    writes = []
    real_write = saving_lib.atomic_write

    def dies_on_the_second_backup_weights(path, write):
        writes.append(os.path.basename(path))
        if os.path.basename(path) == "latest.weights.h5" and writes.count("latest.weights.h5") == 2:
            raise KeyboardInterrupt  # after the new metadata, before the new weights
        real_write(path, write)

    monkeypatch.setattr(saving_lib, "atomic_write", dies_on_the_second_backup_weights)
    with pytest.raises(KeyboardInterrupt):
        model.fit(x, y, epochs=5, verbose=0, shuffle=False,
                  callbacks=[Snapshot(), BackupAndRestore(str(backup_dir), delete_checkpoint=False)])
    monkeypatch.undo()
    metadata = json.loads((backup_dir / "training_metadata.json").read_text())
    assert metadata["epoch"] == 2 and metadata["previous"]["epoch"] == 1  # new metadata, old weights
    fresh = _model()
    fresh.build((None, 3))
    restore = BackupAndRestore(str(backup_dir), delete_checkpoint=False)
    restore.set_model(fresh)
    restore.on_train_begin()
    assert restore._current_epoch == 1
    for restored, saved in zip(fresh.get_weights(), snapshots[1]):
        np.testing.assert_array_equal(restored, saved)


def test_a_backup_matching_no_recorded_weights_is_refused(tmp_path):
    x, y = _data()
    backup_dir = tmp_path / "backup"
    _model().fit(x, y, epochs=2, verbose=0, callbacks=[BackupAndRestore(str(backup_dir), delete_checkpoint=False)])
    _model().save_weights(backup_dir / "latest.weights.h5")  # weights of neither recorded backup
    restore = BackupAndRestore(str(backup_dir))
    model = _model()
    model.build((None, 3))
    restore.set_model(model)
    with pytest.raises(ValueError, match="matches neither the latest nor the previous backup"):
        restore.on_train_begin()


def test_model_checkpoint_keeps_its_best_value_when_the_save_fails(tmp_path, monkeypatch):
    model = _model()
    checkpoint = ModelCheckpoint(str(tmp_path / "best.keras"), monitor="loss", save_best_only=True, mode="min")
    checkpoint.set_model(model)
    checkpoint.on_train_begin()
    checkpoint.on_epoch_end(0, {"loss": 1.0})
    assert checkpoint.best == 1.0

    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(type(model), "save", disk_full)
    with pytest.raises(OSError):
        checkpoint.on_epoch_end(1, {"loss": 0.5})
    assert checkpoint.best == 1.0  # the file still holds the model with loss 1.0
    monkeypatch.undo()
    checkpoint.on_epoch_end(2, {"loss": 0.7})
    assert checkpoint.best == 0.7
