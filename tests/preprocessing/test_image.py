"""Keras 2's ImageDataGenerator: transforms worked out by hand, iterators, directories, and `fit`."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.preprocessing import image
from tests.utils.keras2_helpers import fresh_notes, recorded_notes  # noqa: F401


def generator(**kwargs):
    with recorded_notes():
        return image.ImageDataGenerator(**kwargs)


def images(n=6, size=5, channels=3):
    return np.arange(n * size * size * channels, dtype="float32").reshape(n, size, size, channels) % 251


def test_rescale_and_plain_batches():
    x, y = images(), np.arange(6)
    batches = generator(rescale=0.5).flow(x, y, batch_size=4, shuffle=False)
    assert len(batches) == 2
    xb, yb = batches[0]
    np.testing.assert_allclose(xb, x[:4] * 0.5)
    assert yb.tolist() == [0, 1, 2, 3]
    xb, yb = batches[1]
    assert xb.shape == (2, 5, 5, 3) and yb.tolist() == [4, 5]


def test_flow_outputs_weights_extra_inputs_and_x_alone():
    x, y, w = images(4), np.arange(4), np.linspace(0.1, 0.4, 4)
    gen = generator()
    xb, yb, wb = gen.flow(x, y, sample_weight=w, batch_size=4, shuffle=False)[0]
    np.testing.assert_allclose(wb, w)
    (xb, extra), yb = gen.flow((x, np.arange(4) * 10), y, batch_size=4, shuffle=False)[0]
    assert extra.tolist() == [0, 10, 20, 30]
    only_x = gen.flow(x, batch_size=4, shuffle=False)[0]
    np.testing.assert_allclose(only_x, x)


def test_rotation_by_90_degrees_is_a_quarter_turn():
    x = images(1, size=4, channels=1)[0]
    turned = image.apply_affine_transform(x, theta=90, row_axis=0, col_axis=1, channel_axis=2)
    np.testing.assert_allclose(turned[..., 0], np.rot90(x[..., 0], k=1), atol=1e-4)


def test_shift_fills_by_mode():
    x = np.arange(16, dtype="float32").reshape(4, 4, 1)
    shifted = image.apply_affine_transform(x, tx=1, row_axis=0, col_axis=1, channel_axis=2,
                                           fill_mode="constant", cval=-1.0)
    # As in Keras 2, with rows before columns `tx` moves along the columns.
    np.testing.assert_allclose(shifted[:, :3, 0], x[:, 1:, 0])
    np.testing.assert_allclose(shifted[:, 3, 0], -1.0)
    nearest = image.apply_affine_transform(x, tx=1, row_axis=0, col_axis=1, channel_axis=2, fill_mode="nearest")
    np.testing.assert_allclose(nearest[:, 3, 0], x[:, 3, 0])


def test_flips_channel_shift_and_brightness():
    x = images(1)[0]
    np.testing.assert_allclose(image.flip_axis(x, 1), x[:, ::-1])
    shifted = image.apply_channel_shift(x, 1000.0, 2)
    np.testing.assert_allclose(shifted, np.full_like(x, x.max()))
    gen = generator()
    np.testing.assert_allclose(gen.apply_transform(x, {"flip_horizontal": True, "flip_vertical": True}),
                               x[::-1, ::-1])
    pytest.importorskip("PIL")
    bright = image.apply_brightness_shift(np.full((2, 2, 3), 100.0), 2.0, scale=False)
    np.testing.assert_allclose(bright, 200.0)


def test_featurewise_and_samplewise_normalization():
    x = images(8) + np.array([0.0, 50.0, 100.0], dtype="float32")
    gen = generator(featurewise_center=True, featurewise_std_normalization=True)
    gen.fit(x)
    np.testing.assert_allclose(gen.mean.reshape(-1), x.mean(axis=(0, 1, 2)), rtol=1e-5)
    flow = gen.flow(x, np.zeros(8), batch_size=3, shuffle=False)
    out = np.concatenate([flow[i][0] for i in range(len(flow))])  # iterating a flow never ends, as in Keras 2
    np.testing.assert_allclose(out.mean(axis=(0, 1, 2)), 0.0, atol=1e-4)
    np.testing.assert_allclose(out.std(axis=(0, 1, 2)), 1.0, atol=1e-4)
    sample = generator(samplewise_std_normalization=True).standardize(x[0].copy())
    np.testing.assert_allclose([sample.mean(), sample.std()], [0.0, 1.0], atol=1e-4)
    unfit = generator(featurewise_center=True)
    with pytest.warns(UserWarning, match="hasn't been fit"):
        unfit.standardize(x[0].copy())


def test_seeded_batches_repeat_and_epochs_reshuffle():
    x, y = images(10), np.arange(10)
    gen = generator(rotation_range=20, horizontal_flip=True)
    first = gen.flow(x, y, batch_size=4, seed=7)
    again = gen.flow(x, y, batch_size=4, seed=7)
    a, b = first[0], again[0]
    np.testing.assert_allclose(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    orders = set()
    for _ in range(4):
        orders.add(tuple(np.concatenate([first[i][1] for i in range(len(first))]).tolist()))
        first.on_epoch_end()
    assert len(orders) > 1 and all(sorted(o) == list(range(10)) for o in orders)
    endless = gen.flow(x, y, batch_size=4, seed=1)
    sizes = [len(next(endless)[1]) for _ in range(4)]
    assert sizes == [4, 4, 2, 4]


def test_validation_split_subsets():
    x, y = images(10), np.array([0, 1] * 5)
    gen = generator(validation_split=0.2)
    validation = gen.flow(x, y, batch_size=10, shuffle=False, subset="validation")
    training = gen.flow(x, y, batch_size=10, shuffle=False, subset="training")
    np.testing.assert_allclose(validation[0][0], x[:2])
    np.testing.assert_allclose(training[0][0], x[2:])
    with pytest.raises(ValueError, match="different classes"):
        gen.flow(x, np.array([0] * 5 + [1] * 5), subset="validation")
    with pytest.raises(ValueError, match="`subset`"):
        gen.flow(x, y, subset="test")


def test_bad_arguments():
    with pytest.raises(ValueError, match="validation_split"):
        generator(validation_split=1.5)
    with pytest.raises(ValueError, match="zoom_range"):
        generator(zoom_range=(0.5, 1.0, 2.0))
    with pytest.raises(ValueError, match="fill_mode"):
        generator(fill_mode="smear")
    with pytest.raises(ValueError, match="brightness_range"):
        generator(brightness_range=0.5)
    with pytest.raises(ValueError, match="rank 4"):
        generator().flow(np.zeros((3, 4, 4)))
    with pytest.raises(ValueError, match="same length"):
        generator().flow(images(3), np.arange(4))


def test_fit_trains_on_a_flow_and_validates_on_another():
    rng = np.random.default_rng(0)
    x = rng.random((16, 4, 4, 1)).astype("float32")
    y = (x.mean(axis=(1, 2, 3)) > 0.5).astype("float32")
    model = keras.Sequential([keras.Input((4, 4, 1)), keras.layers.Flatten(), keras.layers.Dense(1, "sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
    gen = generator(horizontal_flip=True, validation_split=0.25)
    history = model.fit(gen.flow(x, y, batch_size=4, subset="training", seed=0), epochs=2, verbose=0,
                        validation_data=gen.flow(x, y, batch_size=4, subset="validation", seed=0))
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert model.predict(gen.flow(x, batch_size=5, shuffle=False), verbose=0).shape == (16, 1)


def write_images(root, counts, size=(6, 8)):
    from PIL import Image

    rng = np.random.default_rng(0)
    for name, count in counts.items():
        (root / name).mkdir()
        for i in range(count):
            pixels = rng.integers(0, 255, size + (3,), dtype=np.uint8)
            Image.fromarray(pixels).save(root / name / f"{i}.png")
        (root / name / "notes.txt").write_text("not an image")


def test_flow_from_directory(tmp_path, capsys):
    pytest.importorskip("PIL")
    write_images(tmp_path, {"cats": 4, "dogs": 2})
    gen = generator(rescale=1 / 255)
    batches = gen.flow_from_directory(str(tmp_path), target_size=(3, 4), batch_size=6, shuffle=False)
    assert "Found 6 images belonging to 2 classes." in capsys.readouterr().out
    xb, yb = batches[0]
    assert xb.shape == (6, 3, 4, 3) and 0 <= xb.min() and xb.max() <= 1
    assert yb.tolist() == [[1, 0]] * 4 + [[0, 1]] * 2
    assert batches.class_indices == {"cats": 0, "dogs": 1} and batches.filenames[0] == "cats/0.png"
    gray = gen.flow_from_directory(str(tmp_path), target_size=(6, 8), color_mode="grayscale",
                                   class_mode="sparse", batch_size=2, shuffle=False)
    xb, yb = gray[0]
    assert xb.shape == (2, 6, 8, 1) and yb.tolist() == [0.0, 0.0]
    assert gen.flow_from_directory(str(tmp_path), class_mode=None, batch_size=2)[0].shape == (2, 256, 256, 3)
    split = generator(validation_split=0.5)
    validation = split.flow_from_directory(str(tmp_path), subset="validation", shuffle=False)
    assert validation.filenames == ["cats/0.png", "cats/1.png", "dogs/0.png"]
    with pytest.raises(ValueError, match="is not a folder"):
        gen.flow_from_directory(str(tmp_path / "missing"))
    with pytest.raises(ValueError, match="class_mode"):
        gen.flow_from_directory(str(tmp_path), class_mode="onehot")


def test_image_data_generator_is_noted_once(fresh_notes):
    with recorded_notes() as notes:
        image.ImageDataGenerator()
        image.ImageDataGenerator()
    assert len(notes) == 1 and "image_dataset_from_directory" in notes[0]
