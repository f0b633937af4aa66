"""Issue 13, behaviour 7: ModelCheckpoint's verbose messages are Keras's, word for word."""

import os
import warnings

import numpy as np
import pytest

import nanokeras

X = np.random.default_rng(0).normal(size=(8, 3)).astype("float32")
Y = X.sum(axis=1, keepdims=True)
SCORES = [0.5, 0.7, 0.25, 0.25, 0.1]  # what "score" says at each epoch


def _run(lib, folder, **checkpoint_kwargs):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1)])
    model.compile("sgd", "mse")
    set_score = lib.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: logs.update(score=SCORES[epoch]))
    checkpoint = lib.callbacks.ModelCheckpoint(os.path.join(folder, "ckpt-{epoch}.keras"), verbose=1,
                                               **checkpoint_kwargs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model.fit(X, Y, epochs=len(SCORES), verbose=0, callbacks=[set_score, checkpoint])
    return sorted(os.listdir(folder)), [str(w.message) for w in caught if "Can save best" in str(w.message)]


@pytest.mark.parametrize("kwargs", [
    dict(monitor="score", mode="min", save_best_only=True),
    dict(monitor="score", mode="max", save_best_only=True),
    dict(monitor="score", mode="min", save_best_only=True, initial_value_threshold=0.3),
    dict(monitor="loss"),
    dict(monitor="missing", mode="min", save_best_only=True),
])
def test_messages_files_and_warnings_match_keras(keras, tmp_path, capsys, kwargs):
    theirs_dir, ours_dir = tmp_path / "keras", tmp_path / "ours"
    theirs_dir.mkdir()
    ours_dir.mkdir()
    theirs_files, theirs_warnings = _run(keras, str(theirs_dir), **kwargs)
    theirs = capsys.readouterr().out.replace(str(theirs_dir), "<dir>")
    ours_files, ours_warnings = _run(nanokeras, str(ours_dir), **kwargs)
    ours = capsys.readouterr().out.replace(str(ours_dir), "<dir>")
    assert ours == theirs
    assert ours_files == theirs_files
    assert ours_warnings == theirs_warnings
