"""`RandomPerspective`: while training, moves the corners of some images at random (a projective warp)."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._affine import check_choice, warp
from nanokeras.layers.preprocessing.image_preprocessing._mixing import LabelledCall, batch_of, spatial_size
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.random_rotation import INTERPOLATIONS


def homography(start_points, end_points):
    """Rows of 8 parameters (float32) of the projective maps taking each `end_points[i]` to `start_points[i]`
    (4 (x, y) corners each): what `affine_coordinates` reads, output pixels at the end points reading
    the input at the start points."""
    start = np.asarray(start_points, np.float64).reshape(-1, 4, 2)
    end = np.asarray(end_points, np.float64).reshape(-1, 4, 2)
    n = start.shape[0]
    ex, ey, sx, sy = end[..., 0], end[..., 1], start[..., 0], start[..., 1]
    ones, zeros = np.ones_like(ex), np.zeros_like(ex)
    # x' (h6 x + h7 y + 1) = h0 x + h1 y + h2 and y' (...) = h3 x + h4 y + h5, linear in h: two rows a corner.
    x_rows = np.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = np.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    system = np.stack([x_rows, y_rows], axis=2).reshape(n, 8, 8)
    targets = np.stack([sx, sy], axis=2).reshape(n, 8, 1)
    return np.linalg.solve(system, targets).reshape(n, 8).astype(np.float32)


class RandomPerspective(LabelledCall, BaseImagePreprocessingLayer):
    """Warps each image, with a probability drawn in `factor` (an image is warped when a uniform draw in
    [0, 1) falls below it), by the perspective moving corner `p` to `p + p * d`, each coordinate of `d`
    drawn in `[-scale / 2, scale / 2]` (corners are `(0, 0)`, `(w - 1, 0)`, `(0, h - 1)`, `(w - 1, h - 1)`).
    Pixels from outside the image get `fill_value`.

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1]; 1.0 by default.
        scale: in [0, 1], how far the corners move (1.0 by default).
        interpolation: "bilinear" or "nearest".
        fill_value: the value of the pixels read from outside the image.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> keras.layers.RandomPerspective(scale=0.3, seed=1)(np.ones((2, 5, 5, 3), dtype="float32")).shape
        (2, 5, 5, 3)
    """
    # As in Keras: a model holding it resolves `jit_compile="auto"` to False.
    supports_jit = False

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, scale=1.0, interpolation="bilinear", fill_value=0.0, seed=None, data_format=None,
                 **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        if isinstance(scale, bool) or not isinstance(scale, numbers.Real) or not 0 <= scale <= 1:
            raise ValueError(f"RandomPerspective: `scale` must be a number in [0, 1], got scale={scale!r}.")
        self.scale = scale
        self.interpolation = check_choice("RandomPerspective", "interpolation", interpolation, INTERPOLATIONS)
        self.fill_value = fill_value
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        shape = shape_of(data)
        batch = batch_of(shape)
        height, width = spatial_size(self, shape)
        generator = self._generator
        probability = generator.uniform(self.factor[0], self.factor[1], size=batch)
        apply = generator.uniform(0, 1, size=batch) < probability
        shift = generator.uniform(-0.5 * self.scale, 0.5 * self.scale, size=(batch, 4, 2)).astype(np.float32)
        corners = np.array([[0, 0], [width - 1, 0], [0, height - 1], [width - 1, height - 1]], np.float32)
        start = np.repeat(corners[None], batch, axis=0)
        return {"apply_perspective": apply, "start_points": start, "end_points": start + start * shift,
                "input_shape": shape}

    def _augment(self, images, transformation):
        matrix = homography(transformation["start_points"], transformation["end_points"])
        warped, warp_backward = warp(images, matrix, self.interpolation, "constant", self.fill_value,
                                     self.data_format)
        apply = np.asarray(transformation["apply_perspective"], dtype=bool).reshape(-1, 1, 1, 1)
        out = np.where(apply, warped, images).astype(images.dtype, copy=False)

        def backward(g):
            through_warp = warp_backward(np.where(apply, g, 0).astype(g.dtype, copy=False))
            return (through_warp + np.where(apply, 0, g)).astype(g.dtype, copy=False)

        return out, backward

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "scale": self.scale, "interpolation": self.interpolation,
                       "fill_value": self.fill_value, "seed": self.seed})
        return config
