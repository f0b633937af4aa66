"""`ContrastLimitedAdaptiveHistogramEqualization` (CLAHE): histogram equalization per tile, blended."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, _is_number,
)

_F32 = np.float32


def _rescale(images, original, target):
    """Keras's value-range change, in float32 (the images as they are when the ranges are equal)."""
    if original[0] == target[0] and original[1] == target[1]:
        return images
    low, high = _F32(original[0]), _F32(original[1])
    new_low, new_high = _F32(target[0]), _F32(target[1])
    return (images.astype(_F32) - low) / (high - low) * (new_high - new_low) + new_low


def tile_mappings(padded, grid, tile, clip_limit):
    """Each tile's equalizing map of the 256 levels: (batch, grid_h + 2, grid_w + 2, channels, 256) float32,
    edge tiles repeated once all around (what the blending reads beyond the outer tile centres)."""
    batch, _, _, channels = padded.shape
    (grid_h, grid_w), (tile_h, tile_w) = grid, tile
    levels = np.clip(padded.astype(np.int32), 0, 255)
    tiles = levels.reshape(batch, grid_h, tile_h, grid_w, tile_w, channels).transpose(0, 1, 3, 5, 2, 4)
    tiles = tiles.reshape(-1, tile_h * tile_w)
    offsets = (np.arange(tiles.shape[0]) * 256)[:, None]
    counts = np.bincount((tiles + offsets).ravel(), minlength=tiles.shape[0] * 256)
    histograms = counts.reshape(batch, grid_h, grid_w, channels, 256).astype(_F32)
    area = tile_h * tile_w
    if clip_limit > 0:
        limit = _F32(clip_limit * area / 256.0)
        clipped = np.clip(histograms, 0, limit)
        excess = np.sum(histograms - clipped, axis=-1, keepdims=True)
        histograms = clipped + excess / _F32(256.0)
    cdf = np.cumsum(histograms, axis=-1)
    cdf_min = np.min(cdf, axis=-1, keepdims=True)
    denominator = _F32(area) - cdf_min
    denominator = np.where(denominator == 0, _F32(1.0), denominator)
    mapping = np.clip((cdf - cdf_min) * _F32(255.0) / denominator, 0, 255).astype(_F32, copy=False)
    return np.pad(mapping, ((0, 0), (1, 1), (1, 1), (0, 0), (0, 0)), mode="edge")


def _blend_positions(size, tile, grid):
    """For each pixel along one axis: the two neighbouring tile centres (in the edge-padded grid) and the
    weight of the second, as float32."""
    position = (np.arange(size, dtype=_F32) - _F32(tile / 2.0)) / _F32(tile) + _F32(1.0)
    first = np.floor(position)
    weight = position - first
    return (np.clip(first, 0, grid + 1).astype(np.intp), np.clip(first + 1, 0, grid + 1).astype(np.intp),
            weight)


def clahe(images, clip_limit, grid):
    """CLAHE of a (batch, height, width, channels) batch of values in 0-255 (float32 out), as Keras computes it."""
    batch, height, width, channels = images.shape
    grid_h, grid_w = grid
    tile_h, tile_w = -(-height // grid_h), -(-width // grid_w)
    pad_h, pad_w = tile_h * grid_h - height, tile_w * grid_w - width
    padded = images
    if pad_h or pad_w:
        padded = np.pad(images, ((0, 0), (0, pad_h), (0, pad_w), (0, 0)), mode="symmetric")
    mapping = tile_mappings(padded, grid, (tile_h, tile_w), clip_limit)
    y0, y1, wy = _blend_positions(tile_h * grid_h, tile_h, grid_h)
    x0, x1, wx = _blend_positions(tile_w * grid_w, tile_w, grid_w)
    levels = np.clip(padded, 0, 255).astype(np.int32)
    b = np.arange(batch)[:, None, None, None]
    c = np.arange(channels)[None, None, None, :]
    y0, y1, wy = y0[None, :, None, None], y1[None, :, None, None], wy[None, :, None, None]
    x0, x1, wx = x0[None, None, :, None], x1[None, None, :, None], wx[None, None, :, None]
    top = mapping[b, y0, x0, c, levels] * (_F32(1.0) - wx) + mapping[b, y0, x1, c, levels] * wx
    bottom = mapping[b, y1, x0, c, levels] * (_F32(1.0) - wx) + mapping[b, y1, x1, c, levels] * wx
    out = top * (_F32(1.0) - wy) + bottom * wy
    return out[:, :height, :width, :]


class ContrastLimitedAdaptiveHistogramEqualization(BaseImagePreprocessingLayer):
    """Equalizes the histogram of each channel within each of `tile_grid_size` tiles (in the 0-255 scale),
    each tile's histogram clipped at `clip_limit` times its mean count (the excess spread over all
    levels) to limit the noise it amplifies; each pixel blends the maps of the four nearest tile
    centres bilinearly. Sizes not divisible by the grid are padded by mirroring. Not random: it works
    in training and inference alike, and returns the images' dtype. Its output is piecewise constant in
    the pixel values: no gradient flows back through it.

    Args:
        value_range: the images' range (converted to 0-255 and back); `(0, 255)` by default.
        clip_limit: the histogram clip, relative to a tile's mean count per level (4.0); 0 or less: none.
        tile_grid_size: `(rows, columns)` of tiles, `(8, 8)` by default.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> images = np.random.default_rng(0).integers(0, 256, (1, 16, 16, 3)).astype("float32")
        >>> keras.layers.ContrastLimitedAdaptiveHistogramEqualization(tile_grid_size=(2, 2))(images).shape
        (1, 16, 16, 3)
    """

    _USE_BASE_FACTOR = False
    _keeps_integer_inputs = True  # uint8 images come back as uint8, as in Keras

    def __init__(self, value_range=(0, 255), clip_limit=4.0, tile_grid_size=(8, 8), data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        name = "ContrastLimitedAdaptiveHistogramEqualization"
        check_value_range(name, value_range)
        if not _is_number(clip_limit):
            raise ValueError(f"{name}: `clip_limit` must be a number, got clip_limit={clip_limit!r}.")
        if (not isinstance(tile_grid_size, (tuple, list)) or len(tile_grid_size) != 2
                or not all(isinstance(t, numbers.Integral) and not isinstance(t, bool) and t > 0
                           for t in tile_grid_size)):
            raise ValueError(f"{name}: `tile_grid_size` must be two positive ints (rows, columns), "
                             f"got tile_grid_size={tile_grid_size!r}.")
        self.value_range = value_range
        self.clip_limit = clip_limit
        self.tile_grid_size = tile_grid_size

    def get_random_transformation(self, data, training=True, seed=None):
        return {}  # nothing random; an empty transformation (not None) still applies the layer

    def _equalize(self, images):
        """The equalized numpy batch (any layout of this layer), in the images' dtype."""
        channels_last = images if self.data_format == "channels_last" else np.moveaxis(images, 1, -1)
        scaled = _rescale(channels_last, self.value_range, (0, 255))
        out = _rescale(clahe(scaled, self.clip_limit, tuple(self.tile_grid_size)), (0, 255), self.value_range)
        out = np.asarray(out).astype(images.dtype)
        return out if self.data_format == "channels_last" else np.ascontiguousarray(np.moveaxis(out, -1, 1))

    def _augment(self, images, transformation):
        out = self._equalize(images)
        return out, lambda g: np.zeros_like(g)

    def transform_images(self, images, transformation=None, training=True):
        """CLAHE of a batch or a single image (whatever `transformation` and `training` say, as in Keras)."""
        images = np.asarray(images)
        self._spatial_axes(images.ndim)
        if images.ndim == 3:
            return self._equalize(images[None])[0]
        return self._equalize(images)

    def call(self, inputs, training=True):
        if not isinstance(inputs, dict):
            return super().call(inputs, training=True)
        if "images" not in inputs or set(inputs) - {"images", "labels"}:
            raise ValueError(
                f"{type(self).__name__} {self.name!r} takes images or a dict with the keys 'images' and "
                f"(optionally) 'labels', got a dict with the keys {sorted(inputs)}."
            )
        # Labels pass through (Keras raises NotImplementedError for them; equalizing moves no pixel).
        return dict(inputs, images=super().call(inputs["images"], training=True))

    def compute_output_shape(self, input_shape):
        return dict(input_shape) if isinstance(input_shape, dict) else tuple(input_shape)

    def _inference(self, inputs):
        # As in Keras, the layer equalizes at inference too; the op keeps a compiled step's replay current.
        return self.call(inputs, training=True)

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "clip_limit": self.clip_limit,
                       "tile_grid_size": self.tile_grid_size})
        return config
