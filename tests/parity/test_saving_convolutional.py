"""`.keras` files of convolutional models move both ways between nanokeras and real Keras 3."""

import numpy as np
import pytest

import nanokeras as nk

# Real Keras says its augmentation layers cannot be XLA-compiled; that is about Keras, not the files.
pytestmark = pytest.mark.filterwarnings("ignore:Model doesn.t support `jit_compile=True`")


def _image_model(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((10, 12, 3)),
        L.RandomFlip(seed=1), L.RandomRotation(0.1, seed=1), L.RandomZoom(0.1, seed=1),
        L.RandomTranslation(0.1, 0.1, seed=1), L.RandomContrast(0.1, seed=1), L.RandomBrightness(0.1, seed=1),
        L.Rescaling(1 / 255), L.Resizing(14, 14), L.CenterCrop(12, 12),
        L.ZeroPadding2D(1), L.Conv2D(4, 3, activation="relu"), L.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
        L.SeparableConv2D(6, 3, activation="relu"), L.Conv2DTranspose(4, 3, strides=2, padding="same"),
        L.MaxPooling2D(), L.AveragePooling2D(3, strides=1, padding="same"), L.Cropping2D(((1, 0), (0, 1))),
        L.UpSampling2D(interpolation="bilinear"), L.SpatialDropout2D(0.2), L.BatchNormalization(),
        L.Conv2D(3, 2, data_format="channels_first", groups=1), L.GlobalMaxPooling2D(), L.Dense(3, activation="softmax"),
    ])


def _sequence_model(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((16, 4)),
        L.Conv1D(6, 3, padding="causal", dilation_rate=2, activation="relu"), L.ZeroPadding1D((1, 2)),
        L.DepthwiseConv1D(3, depth_multiplier=2), L.SeparableConv1D(4, 2, activation="tanh"),
        L.Conv1DTranspose(4, 3, strides=2), L.MaxPooling1D(3, 2, padding="same"), L.AveragePooling1D(2),
        L.Cropping1D(1), L.UpSampling1D(2), L.SpatialDropout1D(0.1), L.Conv1D(4, 1, groups=2),
        L.GlobalAveragePooling1D(), L.Dense(2),
    ])


def _volume_model(lib):
    L = lib.layers
    return lib.Sequential([
        lib.Input((6, 6, 6, 2)),
        L.Conv3D(4, 3, padding="same", activation="relu"), L.MaxPooling3D(), L.ZeroPadding3D(1),
        L.Conv3DTranspose(2, 2, strides=2), L.AveragePooling3D(2), L.Cropping3D(1), L.UpSampling3D(2),
        L.SpatialDropout3D(0.1), L.GlobalAveragePooling3D(), L.Dense(2),
    ])


MODELS = {"image": (_image_model, (5, 10, 12, 3)), "sequence": (_sequence_model, (5, 16, 4)),
          "volume": (_volume_model, (3, 6, 6, 6, 2))}


def _inputs(shape):
    return np.random.default_rng(0).uniform(0, 255, shape).astype("float32")


@pytest.mark.parametrize("name", sorted(MODELS))
def test_nanokeras_saves_keras_loads(keras, name, tmp_path):
    build, shape = MODELS[name]
    nk.utils.set_random_seed(0)
    model = build(nk)
    model.compile("adam", "mse")
    x = _inputs(shape)
    model.fit(x, np.asarray(model.predict(x, verbose=0)) * 0.5, epochs=1, verbose=0)
    path = str(tmp_path / f"{name}.keras")
    model.save(path)
    loaded = keras.saving.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(x, verbose=0)), model.predict(x, verbose=0),
                               rtol=1e-4, atol=1e-5)
    assert [layer.__class__.__name__ for layer in loaded.layers] == [type(layer).__name__ for layer in model.layers]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_keras_saves_nanokeras_loads_and_trains(keras, name, tmp_path):
    build, shape = MODELS[name]
    keras.utils.set_random_seed(0)
    model = build(keras)
    model.compile("adam", "mse")
    x = _inputs(shape)
    model.fit(x, np.asarray(model.predict(x, verbose=0)) * 0.5, epochs=1, verbose=0)
    path = str(tmp_path / f"{name}.keras")
    model.save(path)
    loaded = nk.saving.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), np.asarray(model.predict(x, verbose=0)),
                               rtol=1e-4, atol=1e-5)
    for ours, theirs in zip(loaded.layers, model.layers):
        config_ours, config_theirs = ours.get_config(), theirs.get_config()
        config_ours.pop("name"), config_theirs.pop("name")
        assert set(config_ours) == set(config_theirs), type(ours).__name__
    loaded.fit(x, loaded.predict(x, verbose=0) * 0.5, epochs=1, verbose=0)


def test_random_crop_and_aliases_round_trip(keras, tmp_path):
    model = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.RandomCrop(6, 6, seed=5),
                              keras.layers.Convolution2D(2, 3), keras.layers.MaxPool2D(),
                              keras.layers.GlobalAvgPool2D()])
    path = str(tmp_path / "crop.keras")
    model.save(path)
    loaded = nk.saving.load_model(path)
    assert loaded.layers[0].get_config()["seed"] == 5
    assert [type(layer).__name__ for layer in loaded.layers] == ["RandomCrop", "Conv2D", "MaxPooling2D",
                                                                "GlobalAveragePooling2D"]
