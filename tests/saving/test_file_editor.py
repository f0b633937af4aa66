"""`keras.saving.KerasFileEditor`: read, edit and resave weights; compare with a model."""

import numpy as np
import pytest

import nanokeras as keras


def _model(units=3):
    keras.utils.set_random_seed(0)
    return keras.Sequential([keras.Input((2,)), keras.layers.Dense(units, name="hidden"),
                             keras.layers.Dense(1, name="out")])


def test_edits_round_trip_into_a_model(tmp_path, capsys):
    model = _model()
    path = str(tmp_path / "m.keras")
    model.save(path)
    editor = keras.saving.KerasFileEditor(path)
    assert "Keras model file" in capsys.readouterr().out
    assert editor.config["class_name"] == "Sequential"
    # (The file names layers as Keras's saving does: by class, `dense`, `dense_1`, ...)
    np.testing.assert_array_equal(editor.weights_dict["layers"]["dense"]["0"], model.layers[0].kernel.numpy())
    assert editor.compare(model) == {"status": "success", "error_count": 0, "match_count": 4}
    editor.add_weights("dense_1", {"1": np.full((1,), 5.0, "float32")})
    editor.rename_object("dense", "renamed")
    edited = str(tmp_path / "edited.weights.h5")
    editor.save(edited)
    reread = keras.saving.KerasFileEditor(edited)
    assert sorted(reread.weights_dict["layers"]) == ["dense_1", "renamed"]
    editor.rename_object("layers/renamed", "dense")
    editor.save(edited)
    fresh = _model()
    fresh.load_weights(edited)
    np.testing.assert_array_equal(fresh.layers[1].bias.numpy(), [5.0])
    np.testing.assert_array_equal(fresh.layers[0].kernel.numpy(), model.layers[0].kernel.numpy())


def test_compare_reports_mismatches_and_edit_errors(tmp_path, capsys):
    path = str(tmp_path / "w.weights.h5")
    _model().save_weights(path)
    editor = keras.saving.KerasFileEditor(path)
    result = editor.compare(_model(units=4))
    assert result["status"] == "error" and result["error_count"] == 3  # two kernels and a bias
    assert "shape mismatch" in capsys.readouterr().out
    editor.delete_weight("dense_1", "1")
    assert editor.compare(_model())["error_count"] == 1
    editor.delete_object("layers/dense_1")
    assert "dense_1" not in editor.weights_dict["layers"]
    with pytest.raises(ValueError, match="not found"):
        editor.rename_object("nothing", "x")
    with pytest.raises(ValueError, match="leaf name"):
        editor.rename_object("dense", "a/b")
    with pytest.raises(ValueError, match="should be a dict"):
        editor.add_object("layers/new", [np.ones(2)])
    with pytest.raises(ValueError, match=".weights.h5"):
        editor.save(str(tmp_path / "x.h5"))
    with pytest.raises(ValueError, match="Invalid filename"):
        keras.saving.KerasFileEditor(str(tmp_path / "x.txt"))
