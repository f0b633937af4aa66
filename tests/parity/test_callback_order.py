"""The order `fit` calls its callbacks in, as Keras 3: the user's, then History, then the progress bar.

One logs dict goes through a hook's callbacks in order, so a key a callback adds (`learning_rate` from
ReduceLROnPlateau or LearningRateScheduler) reaches the later ones, History and the progress bar's epoch
line included, while `on_train_end` gets the epoch's logs as `fit` made them. The progress bar prints
after the callbacks' messages, `Epoch i/n` after LearningRateScheduler's.

Printed output is compared as a terminal would show it (colours stripped, `\\r`/`\\b` redraws applied),
with durations normalised and Keras's intermediate redraws blanked (nanokeras draws only the final line of
each epoch when stdout is not a terminal; Keras always redraws).
"""

import csv
import re

import numpy as np
import pytest

import nanokeras

X = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
Y = np.random.default_rng(1).normal(size=(16, 1)).astype("float32")
HOOKS = ("on_train_begin", "on_train_end", "on_epoch_begin", "on_epoch_end", "on_train_batch_begin",
         "on_train_batch_end", "on_test_begin", "on_test_end", "on_test_batch_begin", "on_test_batch_end")


def recorder(lib, name, events):
    """A callback of `lib` that records, for every hook, the keys and values of the logs it gets."""

    def make(hook):
        def method(self, *args, **kwargs):
            # (Keras passes a batch hook's logs by keyword, the other hooks' by position.)
            logs, args = (kwargs["logs"], args) if "logs" in kwargs else (args[-1], args[:-1])
            events.append((name, hook, args, None if logs is None else list(logs),
                           None if logs is None else [float(v) for v in logs.values()]))
        return method

    return type("Recorder", (lib.callbacks.Callback,), {hook: make(hook) for hook in HOOKS})()


def fit(lib, callbacks, verbose, epochs=3):
    model = lib.Sequential([lib.Input((3,)), lib.layers.Dense(1, kernel_initializer="ones")])
    model.compile(lib.optimizers.SGD(0.1), loss="mse")
    events = []
    callbacks = [recorder(lib, "first", events)] + callbacks + [recorder(lib, "last", events)]
    history = model.fit(X, Y, epochs=epochs, batch_size=4, validation_split=0.25, shuffle=False,
                        verbose=verbose, callbacks=callbacks)
    return events, history.history


def screen(text):
    """`text` as a terminal shows it, one string per line, durations normalised."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    lines, line, column = [], [], 0
    for char in text:
        if char == "\n":
            lines.append("".join(line))
            line, column = [], 0
        elif char == "\r":
            column = 0
        elif char == "\b":
            column = max(column - 1, 0)
        else:
            if column < len(line):
                line[column] = char
            else:
                line.append(char)
            column += 1
    if line:
        lines.append("".join(line))
    shown = []
    for line in lines:
        bar = re.match(r"\s*(\d+)/(\d+) ━", line)
        if bar and int(bar.group(1)) < int(bar.group(2)):
            line = ""  # a redraw before the end of the epoch
        line = re.sub(r"\b\d+(s|ms|us)/step", "T/step", line)
        shown.append(re.sub(r"\b\d+s\b", "Ns", line).rstrip())
    return shown


def assert_same_events(ours, theirs):
    assert [event[:4] for event in ours] == [event[:4] for event in theirs]
    for our_event, their_event in zip(ours, theirs):
        if their_event[4] is not None:
            np.testing.assert_allclose(our_event[4], their_event[4], rtol=1e-4, err_msg=str(their_event[:4]))


def assert_same_history(ours, theirs):
    assert list(ours) == list(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=1e-4, err_msg=key)


CASES = {
    # val_loss falls by less than min_delta from epoch 2 on: ReduceLROnPlateau reduces twice.
    "checkpoint_and_reduce_lr": lambda lib, folder: [
        lib.callbacks.ModelCheckpoint(str(folder / "m.keras"), save_best_only=True, verbose=1),
        lib.callbacks.ReduceLROnPlateau(patience=0, min_delta=1.0, verbose=1)],
    "checkpoint_and_reduce_lr_unchanged": lambda lib, folder: [
        lib.callbacks.ModelCheckpoint(str(folder / "m.keras"), save_best_only=True, verbose=1),
        lib.callbacks.ReduceLROnPlateau(patience=0, verbose=1)],
    "scheduler": lambda lib, folder: [
        lib.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5, verbose=1)],
    "early_stopping": lambda lib, folder: [
        lib.callbacks.EarlyStopping(patience=0, min_delta=1.0, restore_best_weights=True, verbose=1)],
    # A user's callback adds a key: the later callbacks, History and the progress bar see it.
    "user_key": lambda lib, folder: [
        lib.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logs.update(extra=epoch + 0.5))],
}


@pytest.mark.parametrize("verbose", [0, 1, 2])
@pytest.mark.parametrize("case", sorted(CASES))
def test_printed_output_hook_logs_and_history_match_keras(keras, tmp_path, capsys, case, verbose):
    runs = []
    for lib, folder in ((keras, tmp_path / "keras"), (nanokeras, tmp_path / "ours")):
        folder.mkdir()
        capsys.readouterr()
        events, history = fit(lib, CASES[case](lib, folder), verbose)
        printed = capsys.readouterr().out.replace(str(folder), "<dir>")
        runs.append((events, history, screen(printed)))
    (their_events, their_history, their_output), (our_events, our_history, our_output) = runs
    assert our_output == their_output
    assert_same_events(our_events, their_events)
    assert_same_history(our_history, their_history)


def test_learning_rate_reaches_later_callbacks_and_history_but_not_on_train_end(keras, tmp_path):
    # The facts the comparison above relies on, spelt out (Keras's behaviour, checked on both).
    for lib in (keras, nanokeras):
        events, history = fit(lib, [lib.callbacks.ReduceLROnPlateau(patience=0, verbose=0)], verbose=0)
        epoch_end = {name: keys for name, hook, _, keys, _ in events if hook == "on_epoch_end"}
        train_end = {name: keys for name, hook, _, keys, _ in events if hook == "on_train_end"}
        assert epoch_end == {"first": ["loss", "val_loss"], "last": ["loss", "val_loss", "learning_rate"]}
        assert train_end == {"first": ["loss", "val_loss"], "last": ["loss", "val_loss"]}
        assert list(history) == ["loss", "val_loss", "learning_rate"]


def test_scheduler_message_comes_before_the_epoch_line(keras, capsys):
    for lib in (keras, nanokeras):
        capsys.readouterr()
        fit(lib, [lib.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5, verbose=1)], verbose=1,
            epochs=2)
        lines = [line for line in screen(capsys.readouterr().out) if line]
        assert lines[0] == "Epoch 1: LearningRateScheduler setting learning rate to 0.05000000074505806."
        assert lines[1] == "Epoch 1/2"
        assert lines[2].endswith("- learning_rate: 0.0500"), lines[2]


@pytest.mark.parametrize("csv_first", [True, False])
def test_csv_logger_columns_with_reduce_lr_on_plateau_match_keras(keras, tmp_path, csv_first):
    # Before ReduceLROnPlateau, CSVLogger gets no `learning_rate`; after it, a column of it.
    tables = []
    for lib in (keras, nanokeras):
        path = tmp_path / f"{lib.__name__}.csv"
        callbacks = [lib.callbacks.ReduceLROnPlateau(patience=0, min_delta=1.0)]
        callbacks.insert(0 if csv_first else 1, lib.callbacks.CSVLogger(str(path)))
        fit(lib, callbacks, verbose=0)
        with open(path, newline="") as f:
            tables.append(list(csv.reader(f)))
    theirs, ours = tables
    assert ours[0] == theirs[0]
    assert ("learning_rate" in theirs[0]) is not csv_first
    np.testing.assert_allclose(np.array(ours[1:], dtype=float), np.array(theirs[1:], dtype=float), rtol=1e-4)
