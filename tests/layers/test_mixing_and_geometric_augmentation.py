"""MixUp, CutMix, RandomErasing, RandomShear, RandomPerspective: closed-form values, label mixing,
argument errors, gradients, inference, channels_first and single images."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers
from nanokeras.layers.preprocessing.image_preprocessing._mixing import patch_masks
from nanokeras.layers.preprocessing.image_preprocessing.random_perspective import homography

RNG = np.random.default_rng(0)
IMAGES = RNG.uniform(0, 255, (4, 5, 6, 3)).astype("float32")
LABELS = np.eye(4, dtype="float32")[[2, 0, 3, 1]]

MAKERS = {
    "MixUp": lambda **kw: layers.MixUp(alpha=0.5, seed=2, **kw),
    "CutMix": lambda **kw: layers.CutMix(seed=1, **kw),
    "RandomErasing": lambda **kw: layers.RandomErasing(factor=(1.0, 1.0), scale=(0.2, 0.5), seed=1, **kw),
    "RandomShear": lambda **kw: layers.RandomShear(0.4, 0.3, seed=1, **kw),
    "RandomPerspective": lambda **kw: layers.RandomPerspective(factor=(1.0, 1.0), scale=0.5, seed=1, **kw),
}


def _finite_difference_check(augment, transformation, x, eps=1e-3):
    """The `backward` of `augment(x, transformation)` against central differences (float64)."""
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


# ----------------------------------------------------------------------------- MixUp
def test_mix_up_values_and_labels():
    layer = layers.MixUp()
    transformation = {"mix_weight": np.array([0.25, 1.0, 0.5, 0.0], "float32"),
                      "permutation_order": np.array([1, 0, 3, 2])}
    out = layer.transform_images(IMAGES, transformation)
    np.testing.assert_allclose(out[0], 0.25 * IMAGES[0] + 0.75 * IMAGES[1], rtol=1e-6)
    np.testing.assert_allclose(out[1], IMAGES[1])
    np.testing.assert_allclose(out[2], 0.5 * (IMAGES[2] + IMAGES[3]), rtol=1e-6)
    np.testing.assert_allclose(out[3], IMAGES[2])
    labels = layer.transform_labels(LABELS, transformation)
    np.testing.assert_allclose(labels[0], 0.25 * LABELS[0] + 0.75 * LABELS[1])
    np.testing.assert_allclose(labels.sum(axis=1), 1.0)
    np.testing.assert_array_equal(layer.transform_images(IMAGES, transformation, training=False), IMAGES)


def test_mix_up_draws_beta_weights_and_a_permutation():
    layer = layers.MixUp(alpha=0.2, seed=3)
    draws = [layer.get_random_transformation((64, 2, 2, 1)) for _ in range(20)]
    weights = np.concatenate([d["mix_weight"] for d in draws])
    assert weights.dtype == np.float32 and ((weights >= 0) & (weights <= 1)).all()
    assert abs(weights.mean() - 0.5) < 0.05 and np.mean((weights < 0.1) | (weights > 0.9)) > 0.5  # Beta(0.2, 0.2)
    assert all(sorted(d["permutation_order"]) == list(range(64)) for d in draws)


def test_mix_up_mixes_images_and_labels_with_one_draw():
    images = np.arange(4, dtype="float32").reshape(4, 1, 1, 1) * np.ones((4, 3, 3, 2), "float32")
    out = layers.MixUp(alpha=1.0, seed=7)({"images": images, "labels": np.eye(4, dtype="float32")})
    # image i is now sum_j label_ij * j: its label says how much of each image it holds
    np.testing.assert_allclose(out["images"][:, 0, 0, 0], out["labels"] @ np.arange(4.0), rtol=1e-5, atol=1e-5)
    assert not np.allclose(out["labels"], np.eye(4))


# ----------------------------------------------------------------------------- CutMix
def test_cut_mix_values_and_labels():
    layer = layers.CutMix()
    masks = patch_masks([1.0, 0.0], [3.0, 6.0], [0.5, 0.0], [2.5, 0.0], 5, 6, "channels_last")
    transformation = {"batch_masks": masks, "permutation_order": np.array([1, 0]),
                      "mix_weight": np.array([0.8, 1.0], "float32")}
    x = IMAGES[:2]
    out = layer.transform_images(x, transformation)
    expected = x.copy()
    expected[0, 1:3, 1:3] = x[1, 1:3, 1:3]  # rows 1, 2 (>= 0.5, < 2.5), columns 1, 2
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_allclose(layer.transform_labels(LABELS[:2], transformation),
                               [0.8 * LABELS[0] + 0.2 * LABELS[1], LABELS[1]], rtol=1e-6)


def test_cut_mix_draws_rectangles_and_weights_their_area():
    layer = layers.CutMix(seed=2)
    for _ in range(10):
        t = layer.get_random_transformation((8, 10, 12, 3))
        masks = t["batch_masks"][..., 0]
        for mask, weight in zip(masks, t["mix_weight"]):
            rows, cols = np.nonzero(mask)
            if rows.size:  # a rectangle: its pixel count is its (float) area give or take a row and column
                assert mask[rows.min():rows.max() + 1, cols.min():cols.max() + 1].all()
                assert abs((1 - weight) * 120 - rows.size) <= 10 + 12 + 1
    a, b = layers.CutMix(seed=5), layers.CutMix(seed=5)
    data = {"images": IMAGES, "labels": LABELS}
    out = a(data)
    twin = b.get_random_transformation(IMAGES.shape)
    np.testing.assert_array_equal(out["images"], b.transform_images(IMAGES, twin))
    np.testing.assert_allclose(out["labels"], b.transform_labels(LABELS, twin))
    np.testing.assert_array_equal(layers.CutMix(seed=1)(IMAGES[0]), IMAGES[0])  # one image: nothing to mix with


def test_cut_mix_with_factor_zero_cuts_all_or_nothing():
    weights = np.concatenate([layers.CutMix(0.0, seed=s).get_random_transformation((16, 4, 4, 1))["mix_weight"]
                              for s in range(3)])
    assert np.isin(weights, [0.0, 1.0]).all()  # Beta(1e-6, 1e-6) gives 0 or 1


# ----------------------------------------------------------------------------- RandomErasing
def test_erasing_values():
    layer = layers.RandomErasing(fill_value=7.0)
    masks = patch_masks([0.0, 2.0], [2.0, 4.0], [0.0, 1.0], [1.0, 3.0], 5, 6, "channels_last")
    transformation = {"batch_masks": masks, "apply_erasing": np.array([True, False]),
                      "fill_value": np.float32(7.0)}
    out = layer.transform_images(IMAGES[:2], transformation)
    expected = IMAGES[:2].copy()
    expected[0, 0:1, 0:2] = 7.0
    np.testing.assert_array_equal(out, expected)
    np.testing.assert_array_equal(layers.RandomErasing(factor=0.0, seed=1)(IMAGES), IMAGES)


def test_erasing_fills():
    images = np.full((6, 8, 8, 3), 100.0, "float32")
    always = dict(factor=(1.0, 1.0), scale=(0.3, 0.3), seed=2)
    constant = layers.RandomErasing(fill_value=300.0, **always)(images)  # clipped to value_range
    assert set(np.unique(constant)) == {100.0, 255.0}
    per_channel = layers.RandomErasing(fill_value=(1, 2, 3), **always)(images)
    erased = per_channel[per_channel[..., 0] != 100]
    assert erased.size and (erased == [1, 2, 3]).all()
    first = layers.RandomErasing(fill_value=(1, 2, 3), data_format="channels_first", **always)(
        np.moveaxis(images, -1, 1))
    assert sorted(np.unique(first[:, 2])) == [3.0, 100.0]
    noise = layers.RandomErasing(value_range=(0, 1), **always)(images / 255)
    changed = noise[noise != np.float32(100 / 255)]
    assert changed.size and changed.min() >= 0 and changed.max() <= 1 and np.unique(changed).size > 10
    rate = np.mean([layers.RandomErasing((0.5, 0.5), seed=s).get_random_transformation((50, 4, 4, 1))
                    ["apply_erasing"].mean() for s in range(10)])
    assert abs(rate - 0.5) < 0.05


# ----------------------------------------------------------------------------- RandomShear
def test_shear_values():
    x = np.arange(30, dtype="float32").reshape(1, 5, 6, 1)
    layer = layers.RandomShear(0.5, fill_mode="constant", fill_value=-1.0, interpolation="nearest")
    out = layer.transform_images(x, {"shear_factor": np.array([[1.0, 0.0]], "float32")})[0, :, :, 0]
    for y in range(5):
        for col in range(6):  # output (x, y) reads input (x + y, y)
            assert out[y, col] == (x[0, y, col + y, 0] if col + y < 6 else -1.0)
    out = layer.transform_images(x, {"shear_factor": np.array([[0.0, -0.5]], "float32")})[0, :, :, 0]
    np.testing.assert_array_equal(out[:, 0], x[0, :, 0, 0])  # column 0 stays, column 2 moves up by 1
    np.testing.assert_array_equal(out[1:, 2], x[0, :4, 2, 0])
    zero = layers.RandomShear(seed=1)  # no shear: the identity
    np.testing.assert_allclose(zero(IMAGES), IMAGES, rtol=1e-6)


def test_shear_draws_one_sign_for_both_axes():
    t = layers.RandomShear((0.2, 0.4), (0.1, 0.3), seed=1).get_random_transformation((200, 3, 3, 1))
    s = t["shear_factor"]
    assert s.shape == (200, 2) and (np.sign(s[:, 0]) == np.sign(s[:, 1])).all()
    assert ((np.abs(s[:, 0]) >= 0.2) & (np.abs(s[:, 0]) <= 0.4)).all() and 60 < (s[:, 0] < 0).sum() < 140


# ----------------------------------------------------------------------------- RandomPerspective
def test_perspective_homography_and_values():
    start = np.array([[[0, 0], [5, 0], [0, 4], [5, 4]]], "float32")
    end = start * np.float32(1.5) + np.float32([1.0, 2.0])
    h = homography(start, end)[0]
    for (sx, sy), (ex, ey) in zip(start[0], end[0]):
        k = h[6] * ex + h[7] * ey + 1
        np.testing.assert_allclose([(h[0] * ex + h[1] * ey + h[2]) / k, (h[3] * ex + h[4] * ey + h[5]) / k],
                                   [sx, sy], atol=1e-4)
    layer = layers.RandomPerspective(fill_value=-1.0, interpolation="nearest")
    x = IMAGES[:2]
    shifted = {"start_points": np.repeat(start, 2, axis=0), "end_points": np.repeat(start + [1.0, 0.0], 2, axis=0),
               "apply_perspective": np.array([True, False])}
    out = layer.transform_images(x, shifted)
    np.testing.assert_allclose(out[0, :, 1:], x[0, :, :-1], atol=1e-3)  # moved right by one pixel
    np.testing.assert_array_equal(out[0, :, 0], -1.0)
    np.testing.assert_array_equal(out[1], x[1])  # not applied
    np.testing.assert_array_equal(layers.RandomPerspective(0.0, seed=1)(IMAGES), IMAGES)
    t = layers.RandomPerspective(scale=0.2, seed=3).get_random_transformation((50, 5, 6, 3))
    moved = (t["end_points"] - t["start_points"]) / np.maximum(t["start_points"], 1)
    assert np.abs(moved).max() <= 0.1 + 1e-6 and (t["end_points"][:, 0] == 0).all()  # the origin stays


# ----------------------------------------------------------------------------- all five
@pytest.mark.parametrize("name", MAKERS)
def test_training_only_configs_and_seeds(name):
    make = MAKERS[name]
    layer = make()
    assert not np.array_equal(layer(IMAGES), IMAGES)
    np.testing.assert_array_equal(layer(IMAGES, training=False), IMAGES)
    data = layer({"images": IMAGES, "labels": LABELS}, training=False)
    np.testing.assert_array_equal(data["images"], IMAGES)
    np.testing.assert_array_equal(data["labels"], LABELS)
    model = keras.Sequential([keras.Input((5, 6, 3)), make()])
    np.testing.assert_array_equal(model.predict(IMAGES, verbose=0), IMAGES)
    np.testing.assert_array_equal(make()(IMAGES), make()(IMAGES))
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config and config["seed"] in (1, 2)


@pytest.mark.parametrize("name", MAKERS)
def test_channels_first_and_single_images(name):
    extra = {"fill_value": 9.0} if name == "RandomErasing" else {}  # (the noise is drawn in the data's order)
    last, first = MAKERS[name](**extra), MAKERS[name](data_format="channels_first", **extra)
    out_last = last(IMAGES)
    out_first = first(np.ascontiguousarray(np.moveaxis(IMAGES, -1, 1)))
    np.testing.assert_allclose(np.moveaxis(out_first, 1, -1), out_last, rtol=1e-5, atol=1e-3)  # the same draws
    single = MAKERS[name]()(IMAGES[0])
    assert single.shape == IMAGES[0].shape
    if name in ("MixUp", "CutMix"):  # mixed with itself
        np.testing.assert_allclose(single, IMAGES[0], rtol=1e-5)
    data = MAKERS[name]()({"images": IMAGES[0], "labels": LABELS[0]})
    assert data["images"].shape == IMAGES[0].shape and data["labels"].shape == (4,)


@pytest.mark.parametrize("name", MAKERS)
def test_labels_pass_or_mix(name):
    out = MAKERS[name]()({"images": IMAGES, "labels": LABELS})
    assert out["images"].shape == IMAGES.shape
    if name in ("MixUp", "CutMix"):
        np.testing.assert_allclose(out["labels"].sum(axis=1), 1.0, rtol=1e-6)
        assert not np.array_equal(out["labels"], LABELS)
    else:
        np.testing.assert_array_equal(out["labels"], LABELS)
    images_only = MAKERS[name]()({"images": IMAGES})
    assert set(images_only) == {"images"}
    np.testing.assert_array_equal(images_only["images"], MAKERS[name]()(IMAGES))


@pytest.mark.parametrize("name", MAKERS)
def test_gradients_match_finite_differences(name):
    layer = MAKERS[name](dtype="float64")
    x = RNG.uniform(0, 1, (3, 4, 5, 2))
    transformation = layer.get_random_transformation(x.shape)
    _finite_difference_check(layer._augment, transformation, x)
    if name in ("MixUp", "CutMix"):
        _finite_difference_check(layer._augment_labels, transformation, RNG.uniform(0, 1, (3, 4)))
    variable = keras.Variable(x)
    with keras.GradientTape() as tape:
        loss = keras.ops.sum(layer(variable) ** 2)
    grad = np.asarray(tape.gradient(loss, variable))
    assert grad.shape == x.shape and np.isfinite(grad).all() and np.abs(grad).sum() > 0


@pytest.mark.parametrize("name", MAKERS)
def test_fit_runs(name):
    model = keras.Sequential([keras.Input((5, 6, 3)), MAKERS[name](), layers.Flatten(), layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(IMAGES / 255, np.zeros((4, 1)), epochs=3, verbose=0)
    assert np.isfinite(history.history["loss"]).all()


@pytest.mark.parametrize("make, match", [
    (lambda: layers.MixUp(alpha=0), "`alpha` must be a positive number, got alpha=0"),
    (lambda: layers.MixUp(alpha="big"), "`alpha` must be a positive number"),
    (lambda: layers.MixUp(seed=1.5), "`seed` must be an int"),
    (lambda: layers.CutMix(factor=2.0), r"`factor` must be a number or a pair of numbers in \[0, 1\]"),
    (lambda: layers.CutMix(factor="x"), "factor='x'"),
    (lambda: layers.RandomErasing(scale=(0.1, 2)), r"`scale` must be a number in \[0, 1\].*scale=\(0.1, 2\)"),
    (lambda: layers.RandomErasing(scale=(0.1, 0.2, 0.3)), "`scale`"),
    (lambda: layers.RandomErasing(fill_value=(1, 2)), r"`fill_value` must be None.*fill_value=\(1, 2\)"),
    (lambda: layers.RandomErasing(fill_value="red"), "`fill_value`"),
    (lambda: layers.RandomErasing(value_range=(1,)), "`value_range`"),
    (lambda: layers.RandomShear(x_factor=1.5), r"`x_factor` must be a number in \[0, 1\].*x_factor=1.5"),
    (lambda: layers.RandomShear(y_factor=(-2, 0)), "`y_factor`"),
    (lambda: layers.RandomShear(fill_mode="mirror"), "`fill_mode` must be one of"),
    (lambda: layers.RandomShear(interpolation="bicubic"), "`interpolation` must be one of"),
    (lambda: layers.RandomPerspective(scale=1.5), r"`scale` must be a number in \[0, 1\], got scale=1.5"),
    (lambda: layers.RandomPerspective(scale=True), "`scale`"),
    (lambda: layers.RandomPerspective(interpolation="area"), "`interpolation` must be one of"),
    (lambda: layers.RandomPerspective(factor=(0.1, 0.2, 0.3)), "`factor`"),
    (lambda: layers.RandomPerspective(data_format="nhwc"), "data_format"),
])
def test_argument_errors(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_input_errors():
    with pytest.raises(ValueError, match=r"dict with the keys 'images' and.*\['images', 'masks'\]"):
        layers.MixUp()({"images": IMAGES, "masks": IMAGES})
    with pytest.raises(ValueError, match="rank 3"):
        layers.CutMix()(np.ones((2, 3), "float32"))


@pytest.mark.parametrize("name", MAKERS)
def test_compiled_step_replays_the_draws(name):
    """A replayed trace draws again, and the labels' op reads the images' new draw (bit for bit the tape)."""
    from nanokeras.ops.tensor import Constant
    from nanokeras.ops.trace import Trace

    weights = RNG.standard_normal(IMAGES.shape).astype("float32")
    second_images, second_labels = IMAGES[::-1].copy(), LABELS[::-1].copy()

    def loss_of(out):
        return keras.ops.sum(out["images"] * weights) + keras.ops.sum(out["labels"] * np.arange(4.0, dtype="float32"))

    replayed, reference = MAKERS[name](), MAKERS[name]()
    images, labels = Constant(IMAGES.copy()), Constant(LABELS.copy())
    with keras.GradientTape() as tape:
        loss = loss_of(replayed({"images": images, "labels": labels}))
    trace = Trace(tape)
    assert trace.replayable, trace.unreplayable_ops()
    images.value[...], labels.value[...] = second_images, second_labels
    trace.forward()
    reference({"images": IMAGES, "labels": LABELS})  # the draws of the recorded call
    expected = loss_of(reference({"images": second_images, "labels": second_labels}))
    np.testing.assert_array_equal(np.asarray(loss.value), np.asarray(expected))
