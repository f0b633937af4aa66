"""`image_dataset_from_directory`: folders to labelled batches, accepted by `fit`/`evaluate`/`predict`."""

import os

import numpy as np
import pytest

import nanokeras as keras

pytest.importorskip("PIL")


def _make_folders(root, classes=("cats", "dogs"), per_class=6, nested=False):
    rng = np.random.default_rng(0)
    for index, name in enumerate(classes):
        folder = root / name / ("sub" if nested else "")
        folder.mkdir(parents=True, exist_ok=True)
        for i in range(per_class):
            image = rng.integers(0, 256, (6 + i % 3, 5 + i % 2, 3)).astype("float32")
            image[..., 0] = 40 * index  # the red channel tells the class
            extension = ("png", "jpg", "bmp", "gif")[i % 4]
            keras.utils.save_img(folder / f"{i}.{extension}", image, scale=False)
    (root / classes[0] / "notes.txt").write_text("not an image")
    return root


def test_batches_labels_and_class_names(tmp_path, capsys):
    root = _make_folders(tmp_path)
    data = keras.utils.image_dataset_from_directory(root, image_size=(4, 4), batch_size=5, seed=3)
    assert "Found 12 files belonging to 2 classes." in capsys.readouterr().out
    assert data.class_names == ["cats", "dogs"] and len(data) == 3 and len(data.file_paths) == 12
    batches = list(data)
    assert [x.shape for x, _ in batches] == [(5, 4, 4, 3), (5, 4, 4, 3), (2, 4, 4, 3)]
    labels = np.concatenate([y for _, y in batches])
    assert labels.dtype == np.int32 and sorted(labels.tolist()) == [0] * 6 + [1] * 6
    for path, label in zip(data.file_paths, [None] * 12):
        assert os.path.basename(os.path.dirname(path)) in ("cats", "dogs")
    first_epoch = [y.tolist() for _, y in batches]
    second_epoch = [y.tolist() for _, y in data]
    assert first_epoch != second_epoch  # reshuffled every epoch


def test_file_order_and_labels_match_the_folders(tmp_path):
    root = _make_folders(tmp_path)
    data = keras.utils.image_dataset_from_directory(root, image_size=(4, 4), shuffle=False, batch_size=12,
                                                    verbose=False)
    x, y = next(iter(data))
    folders = [os.path.basename(os.path.dirname(p)) for p in data.file_paths]
    assert [data.class_names[label] for label in y] == folders
    assert data.file_paths == sorted(data.file_paths)


@pytest.mark.parametrize("label_mode,expected", [("categorical", (12, 2)), ("binary", (12, 1)), ("int", (12,))])
def test_label_modes(tmp_path, label_mode, expected):
    data = keras.utils.image_dataset_from_directory(_make_folders(tmp_path), label_mode=label_mode,
                                                    image_size=(3, 3), batch_size=12, verbose=False)
    _, y = next(iter(data))
    assert y.shape == expected


def test_no_labels_color_modes_nested_folders_and_single_images(tmp_path):
    root = _make_folders(tmp_path, nested=True)
    images = keras.utils.image_dataset_from_directory(root, labels=None, image_size=(3, 3), batch_size=4,
                                                      color_mode="grayscale", verbose=False)
    batch = next(iter(images))
    assert isinstance(batch, np.ndarray) and batch.shape == (4, 3, 3, 1) and images.class_names is None
    single = keras.utils.image_dataset_from_directory(root, image_size=(3, 3), batch_size=None, verbose=False,
                                                      color_mode="rgba", data_format="channels_first")
    x, y = next(iter(single))
    assert x.shape == (4, 3, 3) and np.ndim(y) == 0


def test_validation_split_subsets_never_overlap(tmp_path):
    root = _make_folders(tmp_path, per_class=10)
    kwargs = dict(image_size=(4, 4), validation_split=0.25, seed=7, verbose=False)
    train = keras.utils.image_dataset_from_directory(root, subset="training", **kwargs)
    val = keras.utils.image_dataset_from_directory(root, subset="validation", **kwargs)
    both = keras.utils.image_dataset_from_directory(root, subset="both", **kwargs)
    assert len(train.file_paths) == 15 and len(val.file_paths) == 5
    assert not set(train.file_paths) & set(val.file_paths)
    assert both[0].file_paths == train.file_paths and both[1].file_paths == val.file_paths


def test_fit_evaluate_predict_take_the_dataset(tmp_path):
    root = _make_folders(tmp_path, per_class=8)
    train, val = keras.utils.image_dataset_from_directory(root, image_size=(6, 6), batch_size=4, seed=1,
                                                          validation_split=0.25, subset="both", verbose=False)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((6, 6, 3)), keras.layers.Rescaling(1 / 255),
                              keras.layers.Conv2D(4, 3, activation="relu"), keras.layers.GlobalAveragePooling2D(),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(keras.optimizers.Adam(0.05), "sparse_categorical_crossentropy", ["accuracy"])
    history = model.fit(train, validation_data=val, epochs=15, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    loss, accuracy = model.evaluate(val, verbose=0)
    assert accuracy == pytest.approx(history.history["val_accuracy"][-1])
    assert model.predict(val, verbose=0).shape == (4, 2)
    assert model.predict(train.map(lambda x, y: x), verbose=0).shape == (12, 2)
    with pytest.raises(ValueError, match="`y` cannot be passed"):
        model.fit(train, np.zeros(12), verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(train, validation_split=0.2, verbose=0)


def test_dataset_helpers(tmp_path):
    data = keras.utils.image_dataset_from_directory(_make_folders(tmp_path), image_size=(3, 3), batch_size=5,
                                                    seed=0, verbose=False)
    assert len(data.take(2)) == 2 and data.cardinality() == 3
    cached = data.map(lambda x, y: (x / 255, y)).cache().prefetch(2)
    first = [x for x, _ in cached]
    np.testing.assert_array_equal(np.concatenate(first), np.concatenate([x for x, _ in cached]))
    assert max(float(x.max()) for x in first) <= 1
    assert len(list(data.shuffle(10, seed=1))) == 3 and len(data.repeat(2)) == 6 and len(data.skip(1)) == 2


@pytest.mark.parametrize("make,message", [
    (lambda root: keras.utils.image_dataset_from_directory(root / "missing"), "does not exist"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "flat"), "No class folders"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "empty"), "No images found"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", label_mode="sparse"), "label_mode"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", image_size=(0, 3)), "image_size"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", validation_split=0.2, subset="training"),
     "seed"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", validation_split=0.2), "subset"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", class_names=["cats", "birds"]), "birds"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", labels=[0, 1]), "one label per file"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "three", label_mode="binary"), "exactly 2"),
    (lambda root: keras.utils.image_dataset_from_directory(root / "ok", interpolation="cubic"), "interpolation"),
])
def test_bad_directories_and_arguments(tmp_path, make, message):
    _make_folders(tmp_path / "ok")
    _make_folders(tmp_path / "three", classes=("a", "b", "c"), per_class=1)
    (tmp_path / "flat").mkdir()
    keras.utils.save_img(tmp_path / "flat" / "x.png", np.ones((2, 2, 3)))
    (tmp_path / "empty" / "cats").mkdir(parents=True)
    with pytest.raises(ValueError, match=message):
        make(tmp_path)


def test_an_unreadable_file_is_named(tmp_path):
    root = _make_folders(tmp_path)
    (root / "dogs" / "broken.jpg").write_bytes(b"\xff\xd8 truncated")
    data = keras.utils.image_dataset_from_directory(root, image_size=(3, 3), batch_size=20, verbose=False)
    with pytest.raises(ValueError, match="broken.jpg"):
        list(data)
