"""`ops.image.perspective_transform`, `elastic_transform`, `scale_and_translate` and the layers
RandomElasticTransform and ContrastLimitedAdaptiveHistogramEqualization against real Keras.

Deterministic results are compared with Keras on JAX. The elastic fields are random: JAX draws its own
numbers, so seeded fields are compared with Keras's numpy backend (whose draws nanokeras shares), run
in a subprocess; on JAX only the certain cases (alpha 0, factor 0, scale 0) are compared."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(0)
UNIT = RNG.random((2, 12, 15, 3)).astype("float32")
PIXELS = RNG.uniform(0, 255, (3, 12, 15, 3)).astype("float32")
START = np.array([[[0, 0], [0, 12], [15, 0], [15, 12]]] * 2, "float32")
END = np.array([[[3, 5], [7, 12], [14, -2], [16, 11]], [[1, 1], [0, 11], [13, 2], [15, 9]]], "float32")


def _first(x):
    return np.ascontiguousarray(np.moveaxis(x, -1, 1))


# ----------------------------------------------------------------------------- ops on JAX
@pytest.mark.parametrize("kwargs", [dict(), dict(interpolation="nearest", fill_value=0.5), dict(fill_value=2.0),
                                    dict(data_format="channels_first")])
def test_perspective_transform_matches_keras(keras, kwargs):
    x = _first(UNIT) if kwargs.get("data_format") == "channels_first" else UNIT
    expected = np.asarray(keras.ops.image.perspective_transform(x, START, END, **kwargs))
    np.testing.assert_allclose(nk.ops.image.perspective_transform(x, START, END, **kwargs), expected,
                               rtol=1e-5, atol=1e-5)
    single = np.asarray(keras.ops.image.perspective_transform(x[1], START[1], END[1], **kwargs))
    np.testing.assert_allclose(nk.ops.image.perspective_transform(x[1], START[1], END[1], **kwargs), single,
                               rtol=1e-5, atol=1e-5)


METHODS = ["linear", "bilinear", "trilinear", "cubic", "bicubic", "tricubic", "lanczos3", "lanczos5"]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("antialias", [True, False])
def test_scale_and_translate_matches_keras(keras, method, antialias):
    for shape, scale, translation in [((2, 20, 7, 3), [1.7, 0.45], [0.3, -1.2]), ((2, 5, 30, 3), [0.4, 2.1], [2.0, -3.0]),
                                      ((2, 12, 15, 3), [1.0, 1.0], [0.5, 0.0])]:
        scale, translation = np.array(scale, "float32"), np.array(translation, "float32")
        expected = np.asarray(keras.ops.image.scale_and_translate(UNIT, shape, scale, translation, (1, 2), method,
                                                                  antialias))
        got = nk.ops.image.scale_and_translate(UNIT, shape, scale, translation, (1, 2), method, antialias)
        assert got.dtype == expected.dtype and got.shape == expected.shape
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-5)
    x = np.arange(9, dtype="float32").reshape(3, 3)
    s = np.array([2.0, 2.0], "float32")
    np.testing.assert_allclose(nk.ops.image.scale_and_translate(x, (5, 5), s, -(s / 2 - 0.5), (0, 1), method),
                               keras.ops.image.scale_and_translate(x, (5, 5), s, -(s / 2 - 0.5), (0, 1), method),
                               rtol=1e-5, atol=1e-5)


def test_elastic_transform_without_displacement_matches_keras(keras):
    for kwargs in (dict(alpha=0.0), dict(alpha=0.0, sigma=1.0, fill_mode="constant", interpolation="nearest")):
        np.testing.assert_allclose(nk.ops.image.elastic_transform(UNIT, seed=1, **kwargs),
                                   keras.ops.image.elastic_transform(UNIT, seed=1, **kwargs), atol=1e-6)


@pytest.mark.parametrize("call", [
    lambda ops: ops.image.perspective_transform(UNIT, START[:, :3], END[:, :3]),
    lambda ops: ops.image.perspective_transform(UNIT, START, END[:1]),
    lambda ops: ops.image.perspective_transform(UNIT, START, END, interpolation="bicubic"),
    lambda ops: ops.image.perspective_transform(UNIT[0, 0], START, END),
    lambda ops: ops.image.elastic_transform(UNIT, fill_mode="edge"),
    lambda ops: ops.image.elastic_transform(UNIT, interpolation="area"),
    lambda ops: ops.image.scale_and_translate(UNIT, (2, 6, 6, 3), np.ones(2), np.zeros(2), (1, 2), "nearest"),
])
def test_both_refuse_the_same_arguments(keras, call):
    for ops in (keras.ops, nk.ops):
        with pytest.raises(ValueError):
            call(ops)


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_functional_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    inputs = source.Input((12, 15, 3), batch_size=2)
    warped = source.ops.image.perspective_transform(inputs, START, END, fill_value=0.25)
    outputs = source.ops.image.scale_and_translate(warped, (2, 6, 20, 3), np.array([0.5, 1.3], "float32"),
                                                   np.array([0.0, 0.4], "float32"), (1, 2), "cubic")
    model = source.Model(inputs, outputs)
    path = str(tmp_path / "warps.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(UNIT, verbose=0, batch_size=2)),
                               np.asarray(model.predict(UNIT, verbose=0, batch_size=2)), rtol=1e-5, atol=1e-5)


# ----------------------------------------------------------------------------- seeded fields: Keras on numpy
ELASTIC_CASES = [
    dict(alpha=20.0, sigma=5.0), dict(alpha=3.0, sigma=1.5, interpolation="nearest", fill_mode="constant",
                                      fill_value=0.25),
    dict(alpha=5.0, sigma=2.0, fill_mode="wrap", data_format="channels_first"),
    dict(alpha=5.0, sigma=2.0, fill_mode="mirror"), dict(alpha=5.0, sigma=0.7, fill_mode="nearest"),
]
LAYER_CASES = [
    dict(), dict(fill_mode="constant", fill_value=300.0, interpolation="nearest", value_range=(10, 250)),
    dict(data_format="channels_first", fill_mode="wrap"),
]
TRANSFORMATIONS = [({"apply_transform": [True, False, True], "distortion_factor": 0.7, "seed": 42}, False),
                   ({"apply_transform": [True], "distortion_factor": 0.4, "seed": 5}, True)]

SCRIPT = """
import json, sys
import numpy as np
data = np.load(sys.argv[1])
unit, pixels = data["unit"], data["pixels"]
elastic_cases, layer_cases, transformations = json.loads(sys.argv[2])
out = {}
for i, kwargs in enumerate(elastic_cases):
    x = unit if kwargs.get("data_format") != "channels_first" else np.ascontiguousarray(np.moveaxis(unit, -1, 1))
    out[f"op{i}"] = np.asarray(keras.ops.image.elastic_transform(x, seed=7, **kwargs))
out["single"] = np.asarray(keras.ops.image.elastic_transform(unit[0], 4.0, 1.0, seed=11))
generator = keras.random.SeedGenerator(4)
out["gen0"], out["gen1"] = (np.asarray(keras.ops.image.elastic_transform(unit, 2.0, 1.0, seed=generator))
                            for _ in range(2))
for i, kwargs in enumerate(layer_cases):
    layer = keras.layers.RandomElasticTransform(**kwargs)
    x = pixels if kwargs.get("data_format") != "channels_first" else np.ascontiguousarray(np.moveaxis(pixels, -1, 1))
    for j, (t, single) in enumerate(transformations):
        t = dict(t, apply_transform=np.array(t["apply_transform"]), distortion_factor=np.float32(t["distortion_factor"]))
        out[f"layer{i}_{j}"] = np.asarray(layer.transform_images(x[0] if single else x, t))
np.savez(sys.argv[3], **out)
"""


@pytest.fixture(scope="module")
def numpy_backend_results(keras, tmp_path_factory):
    folder = tmp_path_factory.mktemp("elastic")
    np.savez(folder / "inputs.npz", unit=UNIT, pixels=PIXELS)
    env = dict(os.environ, KERAS_BACKEND="numpy")
    arguments = json.dumps([ELASTIC_CASES, LAYER_CASES, TRANSFORMATIONS])
    done = subprocess.run([sys.executable, "-c", "import keras\n" + SCRIPT, str(folder / "inputs.npz"), arguments,
                           str(folder / "outputs.npz")], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    return dict(np.load(folder / "outputs.npz"))


def test_seeded_elastic_fields_match_keras_numpy_backend(numpy_backend_results):
    theirs = numpy_backend_results
    for i, kwargs in enumerate(ELASTIC_CASES):
        x = UNIT if kwargs.get("data_format") != "channels_first" else _first(UNIT)
        np.testing.assert_allclose(nk.ops.image.elastic_transform(x, seed=7, **kwargs), theirs[f"op{i}"],
                                   rtol=1e-5, atol=1e-5, err_msg=str(kwargs))
    np.testing.assert_allclose(nk.ops.image.elastic_transform(UNIT[0], 4.0, 1.0, seed=11), theirs["single"],
                               rtol=1e-5, atol=1e-5)
    generator = nk.random.SeedGenerator(4)
    for k in range(2):  # a generator hands out a new field at each call, as Keras's does
        np.testing.assert_allclose(nk.ops.image.elastic_transform(UNIT, 2.0, 1.0, seed=generator), theirs[f"gen{k}"],
                                   rtol=1e-5, atol=1e-5)


def test_elastic_layer_transformations_match_keras_numpy_backend(numpy_backend_results):
    for i, kwargs in enumerate(LAYER_CASES):
        layer = nk.layers.RandomElasticTransform(**kwargs)
        x = PIXELS if kwargs.get("data_format") != "channels_first" else _first(PIXELS)
        for j, (t, single) in enumerate(TRANSFORMATIONS):
            t = dict(t, apply_transform=np.array(t["apply_transform"]),
                     distortion_factor=np.float32(t["distortion_factor"]))
            np.testing.assert_allclose(layer.transform_images(x[0] if single else x, t),
                                       numpy_backend_results[f"layer{i}_{j}"], rtol=1e-5, atol=1e-3,
                                       err_msg=f"{kwargs} {t}")


# ----------------------------------------------------------------------------- layers on JAX
def _configs_equal(ours, theirs):
    our_config, their_config = (json.loads(json.dumps(layer.get_config())) for layer in (ours, theirs))
    our_config.pop("name"), their_config.pop("name")
    assert our_config == their_config


ELASTIC_LAYERS = [dict(), dict(factor=(0.2, 0.9), scale=0.5, fill_mode="constant", fill_value=3.0,
                               interpolation="nearest", value_range=(0, 1), seed=4),
                  dict(scale=(0.1, 0.3), fill_mode="mirror", data_format="channels_first")]


@pytest.mark.parametrize("kwargs", ELASTIC_LAYERS)
def test_elastic_layer_configs_and_inference(keras, kwargs):
    ours, theirs = nk.layers.RandomElasticTransform(**kwargs), keras.layers.RandomElasticTransform(**kwargs)
    _configs_equal(ours, theirs)
    x = PIXELS if kwargs.get("data_format") != "channels_first" else _first(PIXELS)
    np.testing.assert_array_equal(ours(x, training=False), np.asarray(theirs(x, training=False)))


@pytest.mark.parametrize("kwargs", [dict(factor=0.0), dict(scale=0.0), dict(factor=(0.0, 0.0), scale=0.5)])
def test_elastic_layer_certain_draws(keras, kwargs):
    ours, theirs = nk.layers.RandomElasticTransform(**kwargs), keras.layers.RandomElasticTransform(**kwargs)
    np.testing.assert_array_equal(ours(PIXELS), np.asarray(theirs(PIXELS)))


CLAHE_CASES = [dict(), dict(clip_limit=2.0, tile_grid_size=(3, 4)), dict(clip_limit=0.0, tile_grid_size=(5, 5)),
               dict(value_range=(0, 1)), dict(data_format="channels_first", tile_grid_size=(2, 3)),
               dict(tile_grid_size=(1, 1), clip_limit=10.0)]


@pytest.mark.parametrize("kwargs", CLAHE_CASES)
def test_clahe_matches_keras(keras, kwargs):
    ours = nk.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    theirs = keras.layers.ContrastLimitedAdaptiveHistogramEqualization(**kwargs)
    _configs_equal(ours, theirs)
    x = PIXELS / 255 if "value_range" in kwargs else PIXELS
    x = _first(x) if kwargs.get("data_format") == "channels_first" else x
    expected = np.asarray(theirs(x))
    np.testing.assert_allclose(ours(x), expected, rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(ours(x, training=False), np.asarray(theirs(x, training=False)), rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(ours(x[0]), np.asarray(theirs(x[0])), rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(ours({"images": x})["images"], np.asarray(theirs({"images": x})["images"]),
                               rtol=1e-6, atol=1e-4)


def test_clahe_integer_images_match_keras(keras):
    x = PIXELS.astype("uint8")
    ours = nk.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4))(x)
    theirs = np.asarray(keras.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(4, 4))(x))
    assert ours.dtype == theirs.dtype == np.uint8
    # Values a float32 rounding away from an integer may truncate to neighbours.
    assert np.abs(ours.astype(int) - theirs.astype(int)).max() <= 1
    assert np.mean(ours == theirs) > 0.99


@pytest.mark.parametrize("direction", ["keras_to_nanokeras", "nanokeras_to_keras"])
def test_layer_keras_files_both_ways(keras, tmp_path, direction):
    source, target = (keras, nk) if direction == "keras_to_nanokeras" else (nk, keras)
    layers = source.layers
    model = source.Sequential([
        source.Input((12, 15, 3)),
        layers.RandomElasticTransform(0.5, scale=(0.1, 0.3), fill_mode="constant", fill_value=2.0, seed=3),
        layers.ContrastLimitedAdaptiveHistogramEqualization(clip_limit=2.0, tile_grid_size=(4, 4)),
        layers.Flatten(), layers.Dense(2)])
    path = str(tmp_path / "elastic_clahe.keras")
    model.save(path)
    loaded = target.models.load_model(path)
    np.testing.assert_allclose(np.asarray(loaded.predict(PIXELS, verbose=0)), np.asarray(model.predict(PIXELS, verbose=0)),
                               rtol=1e-4, atol=1e-3)
    for ours, theirs in zip(loaded.layers, model.layers):
        assert json.loads(json.dumps(ours.get_config())) == json.loads(json.dumps(theirs.get_config()))
