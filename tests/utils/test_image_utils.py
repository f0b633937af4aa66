"""`load_img`, `img_to_array`, `array_to_img`, `save_img` (Pillow reads and writes the files)."""

import io

import numpy as np
import pytest

import nanokeras as keras

pytest.importorskip("PIL")


def test_array_image_array_round_trip(tmp_path):
    x = np.random.default_rng(0).integers(0, 256, (5, 7, 3)).astype("float32")
    path = tmp_path / "picture.png"
    keras.utils.save_img(path, x, scale=False)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".nanokeras-")]  # no temporary file left
    image = keras.utils.load_img(path)
    assert image.size == (7, 5) and image.mode == "RGB"
    np.testing.assert_array_equal(keras.utils.img_to_array(image), x)
    assert keras.utils.img_to_array(image, data_format="channels_first").shape == (3, 5, 7)


def test_color_modes_target_size_and_aspect_ratio(tmp_path):
    x = np.zeros((4, 8, 3), "float32")
    x[:, 4:] = 255
    path = tmp_path / "half.png"
    keras.utils.save_img(str(path), x, scale=False)
    gray = keras.utils.load_img(path, color_mode="grayscale")
    assert keras.utils.img_to_array(gray).shape == (4, 8, 1)
    assert keras.utils.img_to_array(keras.utils.load_img(path, color_mode="rgba")).shape == (4, 8, 4)
    small = keras.utils.img_to_array(keras.utils.load_img(path, target_size=(2, 4)))
    assert small.shape == (2, 4, 3) and small[0, 0, 0] == 0 and small[0, -1, 0] == 255
    square = keras.utils.img_to_array(keras.utils.load_img(path, target_size=(2, 2), keep_aspect_ratio=True))
    assert square.shape == (2, 2, 3)
    with open(path, "rb") as f:
        assert keras.utils.load_img(io.BytesIO(f.read())).size == (8, 4)


def test_array_to_img_scales_and_picks_the_mode():
    x = np.linspace(-1, 1, 12, dtype="float32").reshape(2, 2, 3)
    image = keras.utils.array_to_img(x)
    values = keras.utils.img_to_array(image)
    assert values.min() == 0 and values.max() == 255
    assert keras.utils.array_to_img(np.ones((2, 2, 1)), scale=False).mode == "L"
    assert keras.utils.array_to_img(np.ones((2, 2, 4)), scale=False).mode == "RGBA"
    assert keras.utils.array_to_img(np.ones((3, 2, 2)), data_format="channels_first").size == (2, 2)


def test_jpeg_of_rgba_warns_and_writes_rgb(tmp_path):
    with pytest.warns(UserWarning, match="RGBA"):
        keras.utils.save_img(tmp_path / "x.jpg", np.ones((3, 3, 4)) * 100, scale=False)
    assert keras.utils.load_img(tmp_path / "x.jpg").mode == "RGB"


def test_errors(tmp_path):
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not an image at all")
    with pytest.raises(ValueError, match="Cannot read the image file"):
        keras.utils.load_img(bad)
    with pytest.raises(ValueError, match="color_mode"):
        keras.utils.load_img(bad, color_mode="cmyk")
    with pytest.raises(TypeError, match="path"):
        keras.utils.load_img(3)
    with pytest.raises(ValueError, match="rank 3"):
        keras.utils.array_to_img(np.ones((2, 2)))
    with pytest.raises(ValueError, match="1, 3 or 4 channels"):
        keras.utils.array_to_img(np.ones((2, 2, 2)))
    with pytest.raises(ValueError, match="rank 2 or 3"):
        keras.utils.img_to_array(np.ones((1, 2, 2, 3)))
    keras.utils.save_img(tmp_path / "ok.png", np.ones((2, 2, 3)))
    with pytest.raises(ValueError, match="interpolation"):
        keras.utils.load_img(tmp_path / "ok.png", target_size=(3, 3), interpolation="cubic")


def test_pillow_is_imported_only_when_used():
    import subprocess
    import sys

    code = "import sys, nanokeras; print('PIL' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
