"""`KerasFileEditor` reads Keras's files as Keras's editor does, and its edits load into real Keras."""

import numpy as np

import nanokeras


def _flatten(tree, prefix=""):
    for key, value in tree.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}/{key}")
        else:
            yield f"{prefix}/{key}", np.asarray(value)


def test_editor_reads_and_writes_files_keras_reads(keras, tmp_path, capsys):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.BatchNormalization(),
                              keras.layers.Dense(2)])
    model.compile("adam", "mse")
    model.fit(np.ones((4, 3)), np.ones((4, 2)), verbose=0)
    path = str(tmp_path / "model.keras")
    model.save(path)
    theirs = dict(_flatten(keras.saving.KerasFileEditor(path).weights_dict))
    editor = nanokeras.saving.KerasFileEditor(path)
    ours = dict(_flatten(editor.weights_dict))
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        np.testing.assert_array_equal(ours[key], theirs[key], err_msg=key)
    editor.add_weights("dense_1", {"1": np.full((2,), 3.0, "float32")})
    edited = str(tmp_path / "edited.weights.h5")
    editor.save(edited)
    model.load_weights(edited)
    np.testing.assert_array_equal(np.asarray(model.layers[-1].bias), [3.0, 3.0])
    capsys.readouterr()
