"""nanokeras/playground/render.py: the page's pictures as PNG files, without a browser."""

import os
import sys

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.playground import datasets
from nanokeras.playground.render import CLASS_COLORS, boundary_rgb, save_png

pytest.importorskip("matplotlib", reason="PNG pictures need matplotlib (pip install '.[examples]')")


def _trained():
    keras.utils.set_random_seed(0)
    x, y = datasets.blobs(200, noise=0.0, rng=np.random.default_rng(0))
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x[:150], y[:150], validation_data=(x[150:], y[150:]), epochs=10, batch_size=10, verbose=0)
    return model, x, y, history


def _image(path):
    from PIL import Image

    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"), dtype=np.int16)


def test_boundary_colours_fade_to_white_where_the_model_is_unsure():
    probabilities = np.array([[[0.5, 0.5], [0.0, 1.0], [1.0, 0.0]]])
    colors = boundary_rgb(probabilities)
    np.testing.assert_allclose(colors[0, 0], [1, 1, 1])
    blue = np.array([int(CLASS_COLORS[1][i:i + 2], 16) / 255 for i in (1, 3, 5)])
    np.testing.assert_allclose(colors[0, 1], 0.25 + 0.75 * blue)
    three = boundary_rgb(np.array([[[1 / 3, 1 / 3, 1 / 3], [0.0, 0.0, 1.0]]]))
    np.testing.assert_allclose(three[0, 0], [1, 1, 1])
    assert not np.allclose(three[0, 1], [1, 1, 1])


def test_boundary_and_curves_in_one_picture(tmp_path):
    model, x, y, history = _trained()
    path = save_png(str(tmp_path / "all.png"), model, x[:150], y[:150], history=history, x_test=x[150:],
                    y_test=y[150:], title="the perceptron", mark_epoch=3, dpi=50)
    image = _image(path)
    assert image.shape[:2] == (200, 3 * 210)  # three panels of 4.2 x 4 inches at 50 dpi
    boundary = image[:, :210]
    orange = (np.abs(boundary - [248, 190, 122]).max(axis=-1) < 40).mean()
    blue = (np.abs(boundary - [70, 153, 206]).max(axis=-1) < 40).mean()
    assert orange > 0.1 and blue > 0.1, (orange, blue)  # both classes' regions are drawn
    assert os.listdir(tmp_path) == ["all.png"]  # written atomically: no temporary file left


def test_curves_alone_from_a_history_dict_and_boundary_alone(tmp_path):
    model, x, y, history = _trained()
    assert _image(save_png(str(tmp_path / "c.png"), history=history.history, dpi=50)).shape[1] == 2 * 210
    assert _image(save_png(str(tmp_path / "b.png"), model, x, y, dpi=50)).shape[1] == 210
    with pytest.raises(ValueError, match="Nothing to draw"):
        save_png(str(tmp_path / "n.png"))


def test_a_clear_message_without_matplotlib(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        save_png(str(tmp_path / "x.png"), history={"loss": [1.0]})
