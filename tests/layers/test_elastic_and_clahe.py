"""RandomElasticTransform and ContrastLimitedAdaptiveHistogramEqualization: closed-form values, draws,
gradients, inference, channels_first, single images, configs, `.keras` files and argument errors."""

import json

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.layers.preprocessing.image_preprocessing.random_elastic_transform import elastic_parameters

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (4, 9, 10, 3)).astype("float32")
CLAHE = layers.ContrastLimitedAdaptiveHistogramEqualization


def _finite_difference_check(augment, transformation, x, eps=1e-4):
    x = x.astype("float64")
    out, backward = augment(x, transformation)
    weights = RNG.standard_normal(out.shape)
    analytic = backward(weights)
    numeric = np.zeros_like(x)
    flat = x.reshape(-1)
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + eps
        up = np.sum(augment(x, transformation)[0] * weights)
        flat[i] = saved - eps
        down = np.sum(augment(x, transformation)[0] * weights)
        flat[i] = saved
        numeric.reshape(-1)[i] = (up - down) / (2 * eps)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-6)


# ----------------------------------------------------------------------------- RandomElasticTransform
def test_elastic_parameters_follow_the_image_size():
    alpha, sigma = elastic_parameters(9, 10, 0.5)
    assert alpha.dtype == np.float32 and sigma.dtype == np.float32
    np.testing.assert_allclose([alpha, sigma], [10 * 0.05, 9 * 0.025], rtol=1e-6)


def test_elastic_transformation_is_the_op_then_clipped():
    layer = layers.RandomElasticTransform(value_range=(20, 230))
    t = {"apply_transform": np.array([True, False, True, True]), "distortion_factor": np.float32(0.6), "seed": 9}
    alpha, sigma = elastic_parameters(9, 10, 0.6)
    warped = keras.ops.image.elastic_transform(IMAGES, alpha, sigma, seed=9)
    expected = np.clip(np.where(t["apply_transform"][:, None, None, None], warped, IMAGES), 20, 230)
    np.testing.assert_allclose(layer.transform_images(IMAGES, t), expected, rtol=1e-6)
    assert np.abs(expected[0] - np.clip(IMAGES[0], 20, 230)).max() > 1.0
    single = layer.transform_images(IMAGES[0], dict(t, apply_transform=np.array([True])))
    np.testing.assert_allclose(single, np.clip(keras.ops.image.elastic_transform(IMAGES[0], alpha, sigma, seed=9),
                                               20, 230), rtol=1e-6)


def test_elastic_certain_draws_and_inference():
    for layer in (layers.RandomElasticTransform(factor=0.0), layers.RandomElasticTransform(scale=0.0)):
        assert layer.get_random_transformation(IMAGES) is None
        np.testing.assert_array_equal(layer(IMAGES), IMAGES)
    layer = layers.RandomElasticTransform(factor=(1.0, 1.0), seed=3)
    t = layer.get_random_transformation(IMAGES)
    assert t["apply_transform"].all() and 0 <= t["distortion_factor"] < 1
    out = layer(IMAGES)
    assert not np.array_equal(out, IMAGES) and out.min() >= 0 and out.max() <= 255
    np.testing.assert_array_equal(layer(IMAGES, training=False), IMAGES)
    model = keras.Sequential([keras.Input((9, 10, 3)), layers.RandomElasticTransform(seed=1)])
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), IMAGES)
    make = lambda: layers.RandomElasticTransform(factor=(1.0, 1.0), seed=5)  # noqa: E731
    np.testing.assert_array_equal(make()(IMAGES), make()(IMAGES))
    layer = make()
    assert not np.array_equal(layer(IMAGES), layer(IMAGES))  # the stream moves on


def test_elastic_channels_first_single_images_and_labels():
    last = layers.RandomElasticTransform(factor=(1.0, 1.0), seed=2)
    first = layers.RandomElasticTransform(factor=(1.0, 1.0), seed=2, data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(first(np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1))), 1, -1),
                               last(IMAGES), rtol=1e-5, atol=1e-3)
    assert layers.RandomElasticTransform(seed=1)(IMAGES[0]).shape == IMAGES[0].shape
    labels = np.eye(4, dtype="float32")
    out = layers.RandomElasticTransform(seed=1)({"images": IMAGES, "labels": labels})
    np.testing.assert_array_equal(out["labels"], labels)


def test_elastic_gradients():
    layer = layers.RandomElasticTransform(factor=(1.0, 1.0), value_range=(0.1, 0.9), dtype="float64", seed=4)
    x = RNG.uniform(0, 1, (2, 5, 6, 2))
    t = {"apply_transform": np.array([True, False]), "distortion_factor": np.float32(0.8), "seed": 3}
    _finite_difference_check(layer._augment, t, x, eps=1e-7)
    variable = keras.Variable(x)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(variable) ** 2)
    grad = np.asarray(tape.gradient(loss, variable))
    assert grad.shape == x.shape and np.isfinite(grad).all() and np.abs(grad).sum() > 0


def test_elastic_configs_and_keras_files(tmp_path):
    layer = layers.RandomElasticTransform(0.4, scale=(0.1, 0.3), interpolation="nearest", fill_mode="constant",
                                          fill_value=2.0, value_range=(0, 1), seed=7, data_format="channels_first")
    config = layer.get_config()
    assert config["factor"] == (0, 0.4) and config["scale"] == (0.1, 0.3) and config["seed"] == 7
    assert layers.RandomElasticTransform.from_config(config).get_config() == config
    model = keras.Sequential([keras.Input((9, 10, 3)), layers.RandomElasticTransform(seed=3),
                              CLAHE(clip_limit=2.0, tile_grid_size=(3, 2)), layers.Flatten(), layers.Dense(2)])
    path = str(tmp_path / "model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.predict(IMAGES, verbose=0), model.predict(IMAGES, verbose=0), rtol=1e-6)
    for ours, theirs in zip(loaded.layers, model.layers):  # (tuples come back as lists, as in Keras)
        assert json.loads(json.dumps(ours.get_config())) == json.loads(json.dumps(theirs.get_config()))


def test_elastic_compiled_step_replays_the_draws():
    from nanokeras.ops.tensor import Constant
    from nanokeras.ops.trace import Trace

    weights = RNG.standard_normal(IMAGES.shape).astype("float32")
    replayed = layers.RandomElasticTransform(factor=(1.0, 1.0), seed=1)
    reference = layers.RandomElasticTransform(factor=(1.0, 1.0), seed=1)
    images = Constant(IMAGES.copy())
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(replayed(images) * weights)
    trace = Trace(tape)
    assert trace.replayable, trace.unreplayable_ops()
    images.value[...] = IMAGES[::-1]
    trace.forward()
    reference(IMAGES)
    np.testing.assert_array_equal(np.asarray(loss.value),
                                  np.asarray(keras.ops.sum(reference(IMAGES[::-1].copy()) * weights)))


@pytest.mark.parametrize("make, match", [
    (lambda: layers.RandomElasticTransform(factor=1.5), r"`factor` must be a number or a pair"),
    (lambda: layers.RandomElasticTransform(scale=2.0), r"`scale` must be a number or a pair of numbers in \[0, 1\]"),
    (lambda: layers.RandomElasticTransform(scale=(-0.5, 0.5)), r"scale=\(-0.5, 0.5\)"),
    (lambda: layers.RandomElasticTransform(scale="big"), "`scale`"),
    (lambda: layers.RandomElasticTransform(interpolation="bicubic"), "`interpolation` must be one of"),
    (lambda: layers.RandomElasticTransform(fill_mode="edge"), "`fill_mode` must be one of"),
    (lambda: layers.RandomElasticTransform(fill_value="red"), "`fill_value` must be a number"),
    (lambda: layers.RandomElasticTransform(value_range=(1,)), "`value_range`"),
    (lambda: layers.RandomElasticTransform(seed=1.5), "`seed` must be an int"),
    (lambda: CLAHE(value_range="0-255"), "`value_range`"),
    (lambda: CLAHE(clip_limit="high"), "`clip_limit` must be a number"),
    (lambda: CLAHE(tile_grid_size=8), r"`tile_grid_size` must be two positive ints.*tile_grid_size=8"),
    (lambda: CLAHE(tile_grid_size=(0, 2)), "`tile_grid_size`"),
    (lambda: CLAHE(data_format="nhwc"), "data_format"),
])
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


# ----------------------------------------------------------------------------- CLAHE
def _equalized(values):
    """Plain histogram equalization of integer levels 0-255 (one tile, no clipping), in float64."""
    counts = np.bincount(values.ravel(), minlength=256)
    cdf = np.cumsum(counts)
    return (cdf[values] - cdf[0]) * 255.0 / (values.size - cdf[0])


def test_clahe_one_tile_without_clipping_is_histogram_equalization():
    levels = RNG.integers(1, 200, (2, 6, 8, 3))
    out = CLAHE(clip_limit=0, tile_grid_size=(1, 1))(levels.astype("float32"))
    for b in range(2):
        for c in range(3):
            np.testing.assert_allclose(out[b, :, :, c], _equalized(levels[b, :, :, c]), rtol=1e-5, atol=1e-3)


def test_clahe_constant_images_and_clipping():
    out = CLAHE(clip_limit=0, tile_grid_size=(2, 2))(np.full((1, 8, 8, 1), 100.0, "float32"))
    np.testing.assert_array_equal(out, 255.0)  # all counts at one level: it maps to the top
    np.testing.assert_array_equal(CLAHE(clip_limit=0)(np.zeros((1, 8, 8, 1), "float32")), 0.0)
    # Clipped at 4 x (16 / 256) per level in a 4x4 tile: 0.25 kept at level 100, 15.75 spread over 256 levels.
    out = CLAHE(clip_limit=4.0, tile_grid_size=(2, 2))(np.full((1, 8, 8, 1), 100.0, "float32"))
    spread = 15.75 / 256
    cdf_min, cdf_100 = spread, 101 * spread + 0.25
    np.testing.assert_allclose(out, (cdf_100 - cdf_min) * 255 / (16 - cdf_min), rtol=1e-5)


def test_clahe_blends_neighbouring_tiles():
    x = np.zeros((1, 4, 8, 1), "float32")
    x[:, :, 4:] = 50.0
    x[:, :, :4] = np.arange(4, dtype="float32")[None, :, None] * 10 + 10
    out = CLAHE(clip_limit=0, tile_grid_size=(1, 2))(x)[0, :, :, 0]
    # Left tile: 4 pixels at each of 10, 20, 30, 40 -> maps 63.75, 127.5, 191.25, 255 (and 50 -> 255);
    # right tile: all at 50 -> maps 50 to 255 and 40 to 0. Tile centres at columns 1.5 and 5.5 (pixel
    # position (x - 2) / 4 + 1 in the edge-padded grid): columns 0-2 read the left map only, column 3
    # blends 3/4 left and 1/4 right, columns 4-7 hold 50, which both maps send to 255.
    np.testing.assert_allclose(out, np.tile([63.75, 127.5, 191.25, 0.75 * 255, 255, 255, 255, 255], (4, 1)),
                               rtol=1e-6)


def test_clahe_padding_value_ranges_layouts_and_dtypes():
    x = IMAGES  # 9 x 10: not divisible by the 4 x 3 grid
    out = CLAHE(tile_grid_size=(4, 3))(x)
    assert out.shape == x.shape and out.dtype == np.float32 and out.min() >= 0 and out.max() <= 255
    unit = CLAHE(tile_grid_size=(4, 3), value_range=(0, 1))(x / 255)
    np.testing.assert_allclose(unit * 255, out, rtol=1e-5, atol=1e-3)
    first = CLAHE(tile_grid_size=(4, 3), data_format="channels_first")(np.ascontiguousarray(np.moveaxis(x, -1, 1)))
    np.testing.assert_array_equal(np.moveaxis(first, 1, -1), out)
    np.testing.assert_array_equal(CLAHE(tile_grid_size=(4, 3))(x[1]), out[1])
    np.testing.assert_array_equal(CLAHE(tile_grid_size=(4, 3))(x, training=False), out)  # not random
    as_uint8 = CLAHE()(x.astype("uint8"))
    assert as_uint8.dtype == np.uint8
    model = keras.Sequential([keras.Input((9, 10, 3)), CLAHE(tile_grid_size=(4, 3))])
    np.testing.assert_array_equal(model.predict(x, verbose=0), out)


def test_clahe_passes_no_gradient_and_configs_round_trip():
    layer = CLAHE(clip_limit=3.0, tile_grid_size=(2, 5), value_range=(0, 1))
    variable = keras.Variable(IMAGES / 255)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(variable) ** 2)
    np.testing.assert_array_equal(np.asarray(tape.gradient(loss, variable, unconnected_gradients="zero")), 0.0)
    config = layer.get_config()
    assert config["clip_limit"] == 3.0 and config["tile_grid_size"] == (2, 5) and config["value_range"] == (0, 1)
    assert CLAHE.from_config(config).get_config() == config


def test_clahe_takes_dicts_of_images_and_labels():
    labels = np.eye(4, dtype="float32")
    out = CLAHE(tile_grid_size=(3, 3))({"images": IMAGES, "labels": labels}, training=False)
    np.testing.assert_array_equal(out["images"], CLAHE(tile_grid_size=(3, 3))(IMAGES))
    np.testing.assert_array_equal(out["labels"], labels)
    with pytest.raises(ValueError, match=r"dict with the keys 'images' and.*\['images', 'masks'\]"):
        CLAHE()({"images": IMAGES, "masks": IMAGES})


def test_ops_replay_in_a_compiled_step():
    """A recorded warp replays on new images as recording it afresh does (bit for bit)."""
    from nanokeras.ops.tensor import Constant
    from nanokeras.ops.trace import Trace

    image = keras.ops.image
    corners = np.array([[0, 0], [0, 8], [9, 0], [9, 8]], "float32")
    calls = [lambda x: image.perspective_transform(x, corners, corners + 0.7),
             lambda x: image.elastic_transform(x, 3.0, 1.0, seed=2),
             lambda x: image.scale_and_translate(x, (4, 5, 7, 3), np.array([0.6, 0.7], "float32"),
                                                 np.array([0.1, 0.0], "float32"), (1, 2), "cubic")]
    weights = RNG.standard_normal((4, 5, 7, 3)).astype("float32")
    for call in calls:
        images = Constant(IMAGES.copy())
        with keras.GradientTape() as tape:
            out = call(images)
            loss = keras.ops.sum(out[:, :5, :7] * weights)
        trace = Trace(tape)
        assert trace.replayable, trace.unreplayable_ops()
        images.value[...] = IMAGES[::-1]
        trace.forward()
        np.testing.assert_array_equal(np.asarray(out.value), call(IMAGES[::-1].copy()))
