"""`image_dataset_from_directory` against real Keras 3 (which reads with TensorFlow): same files, order, labels, pixels."""

import numpy as np
import pytest

import nanokeras as nk

pytest.importorskip("PIL")


def _folders(root):
    rng = np.random.default_rng(0)
    for index, name in enumerate(("b_class", "a_class", "c_class")):
        (root / name).mkdir()
        for i in range(5):
            image = rng.integers(0, 256, (7 + i, 9 - i, 3)).astype("float32")
            nk.utils.save_img(root / name / f"img{i}.png", image, scale=False)
    return root


@pytest.mark.parametrize("kwargs", [
    dict(shuffle=False, label_mode="int"), dict(shuffle=True, seed=5, label_mode="categorical"),
    dict(shuffle=False, interpolation="nearest", color_mode="grayscale"),
    dict(shuffle=False, crop_to_aspect_ratio=True), dict(shuffle=False, pad_to_aspect_ratio=True),
])
def test_same_files_labels_and_pixels(keras, tmp_path, kwargs):
    pytest.importorskip("tensorflow")
    root = _folders(tmp_path)
    common = dict(image_size=(6, 5), batch_size=4, verbose=False, **kwargs)
    ours = nk.utils.image_dataset_from_directory(str(root), **common)
    theirs = keras.utils.image_dataset_from_directory(str(root), **common)
    assert ours.class_names == theirs.class_names
    assert ours.file_paths == list(theirs.file_paths)
    if kwargs.get("shuffle"):
        return  # the per-epoch batch order is tf.data's own; the file order above is what Keras fixes
    ours_x, ours_y = map(np.concatenate, zip(*list(ours)))
    theirs_x, theirs_y = map(np.concatenate, zip(*[(np.asarray(x), np.asarray(y)) for x, y in theirs]))
    np.testing.assert_array_equal(ours_y, theirs_y)
    # TensorFlow's PNG decoder converts RGB to gray with its own rounding: up to 1 level apart.
    np.testing.assert_allclose(ours_x, theirs_x, atol=1.0 if kwargs.get("color_mode") == "grayscale" else 1e-3)


def test_validation_subsets_match(keras, tmp_path):
    pytest.importorskip("tensorflow")
    root = _folders(tmp_path)
    common = dict(image_size=(4, 4), validation_split=0.3, seed=11, verbose=False)
    for subset in ("training", "validation"):
        ours = nk.utils.image_dataset_from_directory(str(root), subset=subset, **common)
        theirs = keras.utils.image_dataset_from_directory(str(root), subset=subset, **common)
        assert ours.file_paths == list(theirs.file_paths)
