import csv

import numpy as np
import pytest

import nanokeras as keras
from tests.callbacks.helpers import regression_data, small_model


def read(path, sep=","):
    with open(path, newline="") as f:
        return list(csv.reader(f, delimiter=sep))


def test_writes_header_and_rows_with_val_columns(tmp_path):
    x, y = regression_data()
    path = tmp_path / "log.csv"
    history = small_model().fit(x, y, epochs=3, verbose=0, callbacks=[keras.callbacks.CSVLogger(path)])
    rows = read(path)
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert [r[0] for r in rows[1:]] == ["0", "1", "2"]
    assert [float(r[1]) for r in rows[1:]] == pytest.approx(history.history["loss"])
    assert all(r[2] == "NA" for r in rows[1:])


def test_separator_and_append(tmp_path):
    x, y = regression_data()
    path = str(tmp_path / "log.tsv")
    model = small_model()
    model.fit(x, y, epochs=2, verbose=0, validation_split=0.25,
              callbacks=[keras.callbacks.CSVLogger(path, separator="\t")])
    model.fit(x, y, epochs=1, verbose=0, validation_split=0.25,
              callbacks=[keras.callbacks.CSVLogger(path, separator="\t", append=True)])
    rows = read(path, "\t")
    assert rows[0] == ["epoch", "loss", "val_loss"]
    assert len(rows) == 4  # one header, three epochs
    model.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.CSVLogger(path, separator="\t")])
    assert len(read(path, "\t")) == 2  # overwritten


def test_array_values_and_bad_arguments(tmp_path):
    cb = keras.callbacks.CSVLogger(tmp_path / "a.csv")
    cb.on_train_begin()
    cb.on_epoch_end(0, {"v": np.array([1, 2]), "val_v": "x"})
    cb.on_train_end()
    assert read(tmp_path / "a.csv")[1] == ["0", '"[1, 2]"', "x"]  # Keras quotes arrays itself too
    with pytest.raises(ValueError):
        keras.callbacks.CSVLogger(tmp_path / "b.csv", separator=",,")
    with pytest.raises(ValueError):
        keras.callbacks.CSVLogger(3)
