"""Parity of the image preprocessing and augmentation layers with real Keras 3 on JAX.

Deterministic layers are compared directly. Random layers are compared through
Keras's own split of the work: `get_random_transformation` draws, and
`transform_images(images, transformation)` applies; given the same
transformation both libraries must produce the same images.
"""

import json

import numpy as np
import pytest

import nanokeras as nk

TOL = dict(rtol=1e-5, atol=1e-4)
IMAGES = np.random.default_rng(0).uniform(0, 255, (3, 7, 9, 3)).astype("float32")


def _configs_match(ours, theirs):
    a, b = json.loads(json.dumps(ours.get_config())), json.loads(json.dumps(theirs.get_config()))
    a.pop("name"), b.pop("name")
    assert a == b


@pytest.mark.parametrize("kwargs", [
    dict(height=4, width=5), dict(height=11, width=6, interpolation="nearest"),
    dict(height=5, width=5, interpolation="bicubic", crop_to_aspect_ratio=True),
    dict(height=6, width=4, interpolation="lanczos3", pad_to_aspect_ratio=True, fill_value=7.0),
    dict(height=3, width=4, interpolation="lanczos5", antialias=True),
    dict(height=4, width=8, antialias=True, data_format="channels_first"),
])
def test_resizing(keras, kwargs):
    x = IMAGES if kwargs.get("data_format") != "channels_first" else np.moveaxis(IMAGES, -1, 1).copy()
    ours, theirs = nk.layers.Resizing(**kwargs), keras.layers.Resizing(**kwargs)
    np.testing.assert_allclose(np.asarray(ours(x)), np.asarray(theirs(x)), **TOL)
    np.testing.assert_allclose(np.asarray(ours(x[0])), np.asarray(theirs(x[0])), **TOL)
    _configs_match(ours, theirs)


@pytest.mark.parametrize("size", [(4, 5), (7, 9), (9, 4), (12, 14)])
def test_center_crop(keras, size):
    ours, theirs = nk.layers.CenterCrop(*size), keras.layers.CenterCrop(*size)
    np.testing.assert_allclose(np.asarray(ours(IMAGES)), np.asarray(theirs(IMAGES)), **TOL)
    _configs_match(ours, theirs)


def test_random_crop_applies_the_same_window(keras):
    ours, theirs = nk.layers.RandomCrop(4, 6, seed=3), keras.layers.RandomCrop(4, 6, seed=3)
    for transformation in [(0, 0), (3, 2), (1, 3)]:
        np.testing.assert_allclose(ours.transform_images(IMAGES, transformation),
                                   np.asarray(theirs.transform_images(IMAGES, transformation)), **TOL)
    _configs_match(ours, theirs)
    small = nk.layers.RandomCrop(8, 12, seed=1), keras.layers.RandomCrop(8, 12, seed=1)
    t_ours = small[0].get_random_transformation(IMAGES)
    t_theirs = small[1].get_random_transformation(IMAGES)
    assert tuple(int(v) for v in t_ours) == tuple(int(v) for v in t_theirs)  # centred when too small
    np.testing.assert_allclose(small[0].transform_images(IMAGES, t_ours),
                               np.asarray(small[1].transform_images(IMAGES, t_theirs)), **TOL)


def _keras_transformation(transformation):
    import jax.numpy as jnp

    return {k: (jnp.asarray(v) if isinstance(v, np.ndarray) else v) for k, v in transformation.items()}


RANDOM_GRID = [
    ("RandomFlip", dict(mode="horizontal")), ("RandomFlip", dict(mode="vertical")), ("RandomFlip", dict()),
    ("RandomFlip", dict(data_format="channels_first")),
    ("RandomRotation", dict(factor=0.2)), ("RandomRotation", dict(factor=(-0.5, 0.1), fill_mode="constant",
                                                                  fill_value=3.0)),
    ("RandomRotation", dict(factor=0.3, fill_mode="nearest", interpolation="nearest")),
    ("RandomRotation", dict(factor=0.3, fill_mode="wrap", data_format="channels_first")),
    ("RandomZoom", dict(height_factor=0.3)), ("RandomZoom", dict(height_factor=(-0.4, 0.2), width_factor=0.5,
                                                                 fill_mode="constant")),
    ("RandomZoom", dict(height_factor=0.3, fill_mode="wrap", interpolation="nearest")),
    ("RandomTranslation", dict(height_factor=0.2, width_factor=0.3)),
    ("RandomTranslation", dict(height_factor=(-0.3, 0.1), width_factor=0.2, fill_mode="nearest")),
    ("RandomTranslation", dict(height_factor=0.4, width_factor=0.4, fill_mode="constant", fill_value=1.0,
                               data_format="channels_first")),
    ("RandomContrast", dict(factor=0.5)), ("RandomContrast", dict(factor=(0.2, 0.9), value_range=(0, 100))),
    ("RandomBrightness", dict(factor=0.4)), ("RandomBrightness", dict(factor=(-0.2, 0.5), value_range=(0, 100))),
]


@pytest.mark.parametrize("name,kwargs", RANDOM_GRID, ids=[f"{n}-{i}" for i, (n, _) in enumerate(RANDOM_GRID)])
def test_random_layers_apply_a_transformation_as_keras(keras, name, kwargs):
    x = IMAGES if kwargs.get("data_format") != "channels_first" else np.moveaxis(IMAGES, -1, 1).copy()
    ours, theirs = getattr(nk.layers, name)(seed=4, **kwargs), getattr(keras.layers, name)(seed=4, **kwargs)
    for seed in range(3):
        ours._set_seed(100 + seed)
        transformation = ours.get_random_transformation(x)
        np.testing.assert_allclose(ours.transform_images(x, transformation),
                                   np.asarray(theirs.transform_images(x, _keras_transformation(transformation))),
                                   **TOL)
    np.testing.assert_array_equal(np.asarray(ours(x, training=False)), np.asarray(theirs(x, training=False)))
    ours._set_seed(4)
    _configs_match(ours, theirs)


def test_keras_transformations_apply_in_nanokeras(keras):
    # The other direction: Keras's own draws, applied by nanokeras.
    layer_pairs = [("RandomRotation", dict(factor=0.4)), ("RandomZoom", dict(height_factor=0.4, width_factor=0.2)),
                   ("RandomTranslation", dict(height_factor=0.3, width_factor=0.3)),
                   ("RandomFlip", dict()), ("RandomContrast", dict(factor=0.6)), ("RandomBrightness", dict(factor=0.6))]
    for name, kwargs in layer_pairs:
        ours, theirs = getattr(nk.layers, name)(**kwargs), getattr(keras.layers, name)(seed=7, **kwargs)
        transformation = theirs.get_random_transformation(IMAGES)
        ours_transformation = {k: (np.asarray(v) if hasattr(v, "shape") else v) for k, v in transformation.items()}
        np.testing.assert_allclose(ours.transform_images(IMAGES, ours_transformation),
                                   np.asarray(theirs.transform_images(IMAGES, transformation)), **TOL, err_msg=name)
