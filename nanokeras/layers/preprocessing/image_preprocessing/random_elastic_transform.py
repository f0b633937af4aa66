"""`RandomElasticTransform`: while training, deforms some images by a smooth random displacement field."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice
from nanokeras.layers.preprocessing.image_preprocessing._mixing import LabelledCall, batch_of, spatial_size
from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, _is_number, shape_of,
)
from nanokeras.ops import image_sampling
from nanokeras.ops.image_warps import elastic_displacements, warp_batch

INTERPOLATIONS = ("nearest", "bilinear")
FILL_MODES = ("constant", "nearest", "wrap", "mirror", "reflect")


def elastic_parameters(height, width, distortion):
    """Keras's `(alpha, sigma)` (float32) for a distortion factor: a tenth of the longer side, and a
    twentieth of the shorter one, times the factor."""
    distortion = np.float32(distortion)
    return (np.float32(max(height, width)) * (np.float32(0.1) * distortion),
            np.float32(min(height, width)) * (np.float32(0.05) * distortion))


class RandomElasticTransform(LabelledCall, BaseImagePreprocessingLayer):
    """Deforms each image, with a probability drawn in `factor` (an image is deformed when a uniform draw
    in [0, 1) falls below it), by `ops.image.elastic_transform` with `alpha = 0.1 * s * max(h, w)` and
    `sigma = 0.05 * s * min(h, w)`, `s` drawn once per batch in `scale`; then clips to `value_range`.

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1]: the probability of deforming an image.
        scale: `s` (meaning `(0, s)`) or `(lower, upper)` in [0, 1]: the strength of the deformation.
        interpolation: "bilinear" or "nearest".
        fill_mode: "reflect", "constant" (`fill_value`), "nearest", "wrap" or "mirror".
        fill_value: the value of pixels read from outside the image with `fill_mode="constant"`.
        value_range: the images' range `(low, high)`; outputs are clipped to it.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> images = np.random.default_rng(0).uniform(0, 255, (2, 8, 8, 3)).astype("float32")
        >>> keras.layers.RandomElasticTransform(seed=1)(images).shape
        (2, 8, 8, 3)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                 value_range=(0, 255), seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self.scale = _unit_pair(scale)
        self.interpolation = check_choice("RandomElasticTransform", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_mode = check_choice("RandomElasticTransform", "fill_mode", fill_mode, FILL_MODES)
        if not _is_number(fill_value):
            raise ValueError(f"RandomElasticTransform: `fill_value` must be a number, got fill_value={fill_value!r}.")
        self.fill_value = fill_value
        check_value_range("RandomElasticTransform", value_range)
        self.value_range = value_range
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training or self.scale[1] == 0 or self.factor[1] == 0:
            return None
        batch = batch_of(shape_of(data))
        generator = self._generator
        probability = generator.uniform(self.factor[0], self.factor[1], size=batch)
        apply = generator.uniform(0, 1, size=batch) < probability
        distortion = np.float32(generator.uniform(self.scale[0], self.scale[1]))
        # The displacement field's own seed: `ops.image.elastic_transform` draws from it.
        field_seed = int(generator.integers(0, 2**32 - 1))
        return {"apply_transform": apply, "distortion_factor": distortion, "seed": field_seed}

    def _augment(self, images, transformation):
        height, width = spatial_size(self, images.shape)
        alpha, sigma = elastic_parameters(height, width, transformation["distortion_factor"])
        apply = np.asarray(transformation["apply_transform"], dtype=bool).reshape(-1, 1, 1, 1)
        if sigma > 0:
            dtype = images.dtype if images.dtype.kind == "f" else np.dtype("float32")
            coordinates = elastic_displacements((images.shape[0], height, width), dtype, alpha, sigma,
                                                transformation["seed"])
            warped, warp_backward = warp_batch(images, coordinates, image_sampling.INTERPOLATIONS[self.interpolation],
                                               self.fill_mode, self.fill_value, self.data_format)
        else:  # no distortion (Keras's Gaussian of width 0 would give NaN): the images as they are
            warped, warp_backward = images, (lambda g: g)
        low, high = self.value_range
        mixed = np.where(apply, warped, images)
        out = np.clip(mixed, low, high).astype(images.dtype, copy=False)
        inside = (mixed >= low) & (mixed <= high)

        def backward(g):
            g = np.where(inside, g, 0).astype(g.dtype, copy=False)
            through_warp = warp_backward(np.where(apply, g, 0).astype(g.dtype, copy=False))
            return (through_warp + np.where(apply, 0, g)).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale, "interpolation": self.interpolation,
                       "fill_mode": self.fill_mode, "fill_value": self.fill_value,
                       "value_range": self.value_range, "seed": self.seed})
        return config


def _unit_pair(scale):
    """`(lower, upper)` from `s` in [0, 1] (meaning `(0, s)`) or a pair within [0, 1] (sorted). Keras also
    takes pairs reaching below 0, whose negative strengths it cannot apply: refused here."""
    error = ValueError(
        "RandomElasticTransform: `scale` must be a number or a pair of numbers in [0, 1], "
        f"got scale={scale!r}."
    )
    if isinstance(scale, (tuple, list)):
        if len(scale) != 2 or not all(_is_number(s) and 0 <= s <= 1 for s in scale):
            raise error
        return tuple(sorted(scale))
    if not _is_number(scale) or not 0 <= scale <= 1:
        raise error
    return (max(-scale, 0), scale)
