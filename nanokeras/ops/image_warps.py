"""Warps of `keras.ops.image`: `perspective_transform`, `elastic_transform` and `scale_and_translate`.

The first two read the images at moved coordinates through the `Sampler` of
`image_sampling` (the coordinates are not differentiated; the images are).
`scale_and_translate` resamples each spatial axis with one weight matrix, as
`jax.image.scale_and_translate` does, and its gradient is those matrices transposed.

Example:
    >>> import numpy as np
    >>> from nanokeras import ops
    >>> corners = np.array([[0, 0], [0, 3], [3, 0], [3, 3]], "float32")
    >>> x = np.arange(16.0, dtype="float32").reshape(4, 4, 1)
    >>> bool((ops.image.perspective_transform(x, corners, corners) == x).all())
    True
"""

import numbers

import numpy as np

from nanokeras.backend import config
from nanokeras.backend import random as backend_random
from nanokeras.ops import image_resize, image_sampling
from nanokeras.ops.convolution_geometry import data_format_of
from nanokeras.ops.gradient_utils import to_array, value_of

__all__ = []
IMAGE_NAMES = ["perspective_transform", "elastic_transform", "scale_and_translate"]


def _check_images(op, images):
    shape = np.shape(value_of(images))
    if len(shape) not in (3, 4):
        raise ValueError(
            f"`{op}` expects images of rank 3 (single image) or 4 (batch of images), got images of shape {shape}."
        )
    return shape


def _check_interpolation(op, interpolation):
    if interpolation not in image_sampling.INTERPOLATIONS:
        raise ValueError(f"`{op}`: `interpolation` must be 'nearest' or 'bilinear', got interpolation={interpolation!r}.")


def _sample_batch(op, images, coordinates, order, fill_mode, fill_value, data_format):
    """Reads (batch, h, w, c)-viewed `images` at `coordinates = (y, x)`, each (batch, h, w); keeps the layout."""
    from nanokeras.ops.image import _to_channels_last, _to_layout

    shape = np.shape(value_of(images))
    batched = len(shape) == 4
    x = to_array(images)
    channels_last = x if batched else x[None]
    if data_format == "channels_first":
        channels_last = np.moveaxis(channels_last, 1, -1)
    sampler = image_sampling.Sampler(channels_last.shape, list(coordinates), (1, 2), 1, order, fill_mode)
    out = image_sampling.sample(_to_channels_last(images, batched, data_format), sampler, fill_value,
                                integer_output=x.dtype.kind in "iu")
    return _to_layout(out, batched, data_format)


def _check_points(name, points):
    p = np.asarray(value_of(points))
    if p.ndim not in (2, 3) or p.shape[-2:] != (4, 2):
        raise ValueError(
            f"`perspective_transform`: `{name}` must have shape (4, 2) for a single image or (N, 4, 2) for a "
            f"batch, got shape {p.shape}."
        )
    if p.dtype.kind not in "biuf":
        raise TypeError(f"`perspective_transform`: `{name}` must hold numbers, got dtype {p.dtype}.")
    return p


def homography_rows(start_points, end_points):
    """Rows of 8 float32 parameters of the projective maps taking each `end_points[i]` to `start_points[i]`
    (4 (x, y) corners each), so output pixels at the end points read the input at the start points."""
    start = np.asarray(start_points, np.float32).astype(np.float64).reshape(-1, 4, 2)
    end = np.asarray(end_points, np.float32).astype(np.float64).reshape(-1, 4, 2)
    ex, ey, sx, sy = end[..., 0], end[..., 1], start[..., 0], start[..., 1]
    ones, zeros = np.ones_like(ex), np.zeros_like(ex)
    # x' (h6 x + h7 y + 1) = h0 x + h1 y + h2, likewise y': linear in h, four rows per coordinate.
    x_rows = np.stack([ex, ey, ones, zeros, zeros, zeros, -sx * ex, -sx * ey], axis=-1)
    y_rows = np.stack([zeros, zeros, zeros, ex, ey, ones, -sy * ex, -sy * ey], axis=-1)
    system = np.concatenate([x_rows, y_rows], axis=1)
    targets = np.concatenate([sx, sy], axis=-1)[..., None]
    singular = np.abs(np.linalg.det(system)) < 1e-12 * np.maximum(1.0, np.abs(system).max(axis=(1, 2)) ** 8)
    if singular.any():
        raise ValueError(
            "`perspective_transform`: the points do not define a perspective map (three of the four "
            f"`start_points` or `end_points` lie on one line, or two coincide) for item(s) "
            f"{np.flatnonzero(singular).tolist()}."
        )
    return np.linalg.solve(system, targets)[..., 0].astype(np.float32)


def perspective_transform(images, start_points, end_points, interpolation="bilinear", fill_value=0,
                          data_format=None):
    """Warps images so that the four `start_points` move to the `end_points` (a projective map).

    Args:
        start_points, end_points: (4, 2) or (N, 4, 2) arrays of (x, y) corners. The output pixel at
            an end point reads the input at its start point. They are not differentiated.
        interpolation: "nearest" or "bilinear".
        fill_value: the value of pixels read from outside the images.

    Example:
        >>> start = np.array([[0, 0], [0, 3], [3, 0], [3, 3]], "float32")
        >>> x = np.arange(4.0, dtype="float32").reshape(1, 4, 1)
        >>> perspective_transform(x, start, start + [1, 0])[0, :, 0].tolist()   # moved right by 1
        [0.0, 0.0, 1.0, 2.0]
    """
    op = "perspective_transform"
    data_format = data_format_of(data_format, op)
    _check_interpolation(op, interpolation)
    shape = _check_images(op, images)
    start, end = _check_points("start_points", start_points), _check_points("end_points", end_points)
    if start.shape != end.shape:
        raise ValueError(
            f"`{op}`: `start_points` and `end_points` must have the same shape, got start_points.shape="
            f"{start.shape} and end_points.shape={end.shape}."
        )
    batch = shape[0] if len(shape) == 4 else 1
    rows = homography_rows(start, end)
    if rows.shape[0] not in (1, batch):
        raise ValueError(
            f"`{op}`: {rows.shape[0]} sets of points for {batch} image(s); give one set, or one per image."
        )
    rows = np.broadcast_to(rows, (batch, 8))
    height, width = (shape[-3], shape[-2]) if data_format == "channels_last" else (shape[-2], shape[-1])
    coordinates = image_sampling.affine_coordinates(rows, height, width, np.dtype("float32"))
    return _sample_batch(op, images, coordinates, image_sampling.INTERPOLATIONS[interpolation], "constant",
                         fill_value, data_format)


def _finite_number(op, name, value):
    number = np.asarray(value_of(value))
    if number.ndim != 0 or number.dtype.kind not in "iuf" or not np.isfinite(number):
        raise ValueError(f"`{op}`: `{name}` must be a finite number, got {name}={value!r}.")
    return number


def _blur(fields, sigma):
    """Each (height, width) field of `fields` correlated with a Gaussian of `sigma` (`int(6 sigma) | 1` taps,
    zeros outside), as Keras blurs the displacement fields."""
    from nanokeras.ops.image_filters import _gaussian

    size = int(6 * sigma) | 1
    taps = _gaussian(size, sigma, fields.dtype)
    before = (size - 1) // 2
    padded = np.pad(fields, ((0, 0), (before, size - 1 - before), (before, size - 1 - before)))
    height, width = fields.shape[1], fields.shape[2]
    rows = sum(taps[i] * padded[:, i:i + height, :] for i in range(size))
    return sum(taps[j] * rows[:, :, j:j + width] for j in range(size)).astype(fields.dtype, copy=False)


def seed_pair(seed):
    """The uint32 pair `[seed, counter]` a draw uses, as `keras.random` resolves a `seed` argument.

    A `keras.random.SeedGenerator` (on a higher floor: recognised by its `next` and `state`) hands
    out its next pair; None uses the global generator once `keras.random` has made it, else a seed
    drawn from the session's generator.
    """
    if seed is None:
        generator = backend_random.global_seed_generator_slot[0]
        if generator is None:
            return np.array([backend_random.draw_seed(), 0], np.uint32)
        return generator.next(ordered=False)
    if callable(getattr(seed, "next", None)) and hasattr(seed, "state"):
        return seed.next()
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool) and 0 <= seed < 2**32:
        return np.array([int(seed), 0], np.uint32)
    raise ValueError(
        f"Argument `seed` must be an integer in [0, 2**32), a `keras.random.SeedGenerator` or None, got "
        f"seed={seed!r} (of type {type(seed).__name__})."
    )


def elastic_displacements(shape, dtype, alpha, sigma, seed):
    """The input (y, x) each output pixel of `elastic_transform` reads: two (batch, height, width) arrays.

    Two fields of normal noise (for x, then for y, drawn one after the other from the seed's generator,
    as Keras's numpy backend draws them), each times `sigma`, blurred by a Gaussian of `sigma`, times
    `alpha`, are added to the pixel grid.
    """
    batch, height, width = shape
    alpha, sigma = np.asarray(alpha, dtype), np.asarray(sigma, dtype)
    rng = np.random.default_rng(seed_pair(seed))
    dx, dy = (_blur(rng.normal(size=shape, loc=0.0, scale=1.0).astype(dtype) * sigma, sigma) for _ in range(2))
    x = np.arange(width, dtype=dtype).reshape(1, 1, width)
    y = np.arange(height, dtype=dtype).reshape(1, height, 1)
    return y + alpha * dy, x + alpha * dx


def warp_batch(images, coordinates, order, fill_mode, fill_value, data_format):
    """`(warped, backward)` for a numpy batch read at `coordinates = (y, x)` (each (batch, h, w))."""
    channels_last = images if data_format == "channels_last" else np.moveaxis(images, 1, -1)
    sampler = image_sampling.Sampler(channels_last.shape, list(coordinates), (1, 2), 1, order, fill_mode)
    out = sampler.read(channels_last, fill_value).astype(images.dtype, copy=False)

    def backward(g):
        g = g if data_format == "channels_last" else np.moveaxis(g, 1, -1)
        grad = sampler.scatter(np.ascontiguousarray(g))
        return grad if data_format == "channels_last" else np.ascontiguousarray(np.moveaxis(grad, -1, 1))

    if data_format == "channels_first":
        out = np.ascontiguousarray(np.moveaxis(out, -1, 1))
    return out, backward


def elastic_transform(images, alpha=20.0, sigma=5.0, interpolation="bilinear", fill_mode="reflect", fill_value=0.0,
                      seed=None, data_format=None):
    """Deforms images by a smooth random displacement field (elastic distortion).

    Each pixel reads the input at its position plus `alpha` times a field of normal noise (times `sigma`)
    blurred by a Gaussian of standard deviation `sigma`; differentiable with respect to the images.

    Args:
        alpha: how far pixels move. sigma: how smooth the field is (> 0).
        interpolation: "nearest" or "bilinear".
        fill_mode: "reflect", "constant" (`fill_value`), "nearest", "wrap" or "mirror".
        seed: an int (the same field at each call), a `keras.random.SeedGenerator` (a new field at
            each call, replays of a compiled step included), or None (the global generator).

    Example:
        >>> x = np.random.default_rng(0).random((2, 8, 8, 3)).astype("float32")
        >>> elastic_transform(x, alpha=4.0, sigma=1.0, seed=1).shape
        (2, 8, 8, 3)
        >>> bool(np.allclose(elastic_transform(x, alpha=0.0, seed=1), x))   # alpha=0 moves nothing
        True
    """
    from nanokeras.ops.random_transform import random_transform

    op = "elastic_transform"
    data_format = data_format_of(data_format, op)
    _check_interpolation(op, interpolation)
    image_sampling.check_fill_mode(op, fill_mode)
    shape = _check_images(op, images)
    dtype = to_array(images).dtype
    if dtype.kind != "f":
        raise TypeError(
            f"`{op}` expects float images, got dtype {dtype}; cast them first, e.g. "
            "`keras.ops.cast(images, 'float32')`."
        )
    alpha, sigma = _finite_number(op, "alpha", alpha), _finite_number(op, "sigma", sigma)
    if not sigma > 0:
        raise ValueError(f"`{op}`: `sigma` must be > 0 (the blur of the displacement field), got sigma={sigma}.")
    batched = len(shape) == 4
    spatial = (shape[-3], shape[-2]) if data_format == "channels_last" else (shape[-2], shape[-1])
    order = image_sampling.INTERPOLATIONS[interpolation]

    def draw():
        return elastic_displacements((shape[0] if batched else 1,) + spatial, dtype, alpha, sigma, seed)

    def apply(x, coordinates):
        if batched:
            return warp_batch(x, coordinates, order, fill_mode, fill_value, data_format)
        out, backward = warp_batch(x[None], coordinates, order, fill_mode, fill_value, data_format)
        return out[0], lambda g: backward(g[None])[0]

    return random_transform(images, draw, apply)


SCALE_AND_TRANSLATE_METHODS = {"linear": "bilinear", "bilinear": "bilinear", "trilinear": "bilinear",
                               "cubic": "bicubic", "bicubic": "bicubic", "tricubic": "bicubic",
                               "lanczos3": "lanczos3", "lanczos5": "lanczos5"}


def scale_translate_matrix(in_size, out_size, scale, translation, method, antialias, dtype):
    """The (out_size, in_size) matrix of one axis: output pixel `o` reads around input position
    `(o + 0.5 - translation) / scale - 0.5`, weights from the method's kernel (widened by `1 / scale`
    when shrinking with `antialias`), normalised; 0 for samples outside the input. Computed in `dtype`."""
    scale, translation = dtype.type(scale), dtype.type(translation)
    inv_scale = dtype.type(1.0) / scale
    kernel_scale = max(inv_scale, dtype.type(1.0)) if antialias else dtype.type(1.0)
    centres = (np.arange(out_size, dtype=dtype) + dtype.type(0.5)) * inv_scale - translation * inv_scale - dtype.type(0.5)
    distance = np.abs(centres[:, None] - np.arange(in_size, dtype=dtype)[None, :]) / kernel_scale
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        weights = image_resize._KERNELS[method](distance).astype(dtype, copy=False)
        total = weights.sum(axis=1, keepdims=True)
        normalised = weights / np.where(total != 0, total, dtype.type(1.0))
    weights = np.where(np.abs(total) > 1000.0 * float(np.finfo(np.float32).eps), normalised, dtype.type(0.0))
    inside = (centres >= -0.5) & (centres <= in_size - 0.5)
    return np.where(inside[:, None], weights, dtype.type(0.0)).astype(dtype, copy=False)


class _AxisResampler:
    """Applies one weight matrix per axis (`apply`) and their transposes (`transpose`), as `resample` expects."""

    method = "matrices"

    def __init__(self, axes, matrices, dtype):
        self.axes, self.matrices, self.dtype = tuple(axes), tuple(matrices), np.dtype(dtype)

    def apply(self, x):
        x = x.astype(self.dtype, copy=False)
        for axis, matrix in zip(self.axes, self.matrices):
            x = np.moveaxis(np.tensordot(matrix, x, axes=([1], [axis])), 0, axis)
        return np.ascontiguousarray(x)

    def transpose(self, g):
        for axis, matrix in zip(reversed(self.axes), reversed(self.matrices)):
            g = np.moveaxis(np.tensordot(matrix.T.astype(g.dtype), g, axes=([1], [axis])), 0, axis)
        return np.ascontiguousarray(g)


def scale_and_translate(images, output_shape, scale, translation, spatial_dims, method, antialias=True):
    """Resamples `images` to `output_shape`: along each axis `spatial_dims[i]`, input position `p` (pixel
    centres at `index + 0.5`) lands at `p * scale[i] + translation[i]`; outputs mapped from outside the
    input are 0. As `jax.image.scale_and_translate`; differentiable in `images` (not in `scale`, `translation`).

    Args:
        output_shape: the result's shape (one entry per axis of `images`; non-spatial axes unchanged).
        scale, translation: one number per spatial axis.
        spatial_dims: the axes to resample.
        method: "linear", "bilinear", "trilinear", "cubic", "bicubic", "tricubic", "lanczos3" or "lanczos5".
        antialias: widen the kernel when shrinking (no effect when enlarging).

    Example:
        >>> x = np.arange(9, dtype="float32").reshape(3, 3)
        >>> scale = np.array([2.0, 2.0], "float32")
        >>> scale_and_translate(x, (5, 5), scale, -(scale / 2 - 0.5), (0, 1), "linear")[0].tolist()
        [0.0, 0.5, 1.0, 1.5, 2.0]
    """
    op = "scale_and_translate"
    if method not in SCALE_AND_TRANSLATE_METHODS:
        raise ValueError(
            f"`{op}`: `method` must be one of {', '.join(repr(m) for m in SCALE_AND_TRANSLATE_METHODS)}, "
            f"got method={method!r}."
        )
    x = to_array(images)
    try:
        dims = tuple(int(d) for d in spatial_dims)
    except (TypeError, ValueError):
        dims = None
    if dims is None or any(not -x.ndim <= d < x.ndim for d in dims) or len({d % x.ndim for d in dims}) != len(dims):
        raise ValueError(
            f"`{op}`: `spatial_dims` must be distinct axes of `images` (rank {x.ndim}), got "
            f"spatial_dims={spatial_dims!r}."
        )
    dims = tuple(d % x.ndim for d in dims)
    try:
        # None keeps an axis that is not resampled (a functional model's batch axis).
        target = tuple(x.shape[i] if d is None and i not in dims else int(d) for i, d in enumerate(output_shape))
    except (TypeError, ValueError):
        target = None
    if target is None or len(target) != x.ndim or min(target, default=1) < 0:
        raise ValueError(
            f"`{op}`: `output_shape` must be {x.ndim} non-negative ints (one per axis of `images`, of shape "
            f"{x.shape}), got output_shape={output_shape!r}."
        )
    scale_values, translation_values = np.asarray(value_of(scale)), np.asarray(value_of(translation))
    for name, values in (("scale", scale_values), ("translation", translation_values)):
        if values.shape != (len(dims),) or values.dtype.kind not in "iuf":
            raise ValueError(
                f"`{op}`: `{name}` must hold one number per spatial dim ({len(dims)}), got {name} of shape "
                f"{values.shape} and dtype {values.dtype}."
            )
    if np.any(scale_values == 0):
        raise ValueError(f"`{op}`: `scale` must not be 0, got scale={scale_values.tolist()}.")
    for axis in range(x.ndim):
        if axis not in dims and target[axis] != x.shape[axis]:
            raise ValueError(
                f"`{op}`: axis {axis} is not in `spatial_dims` {dims}, so `output_shape` must keep its size "
                f"{x.shape[axis]}, got output_shape={target}."
            )
    dtype = x.dtype if x.dtype.kind == "f" else np.dtype(config.floatx())
    weight_dtype = np.result_type(scale_values.dtype, translation_values.dtype, np.float32)
    if weight_dtype.kind != "f":
        weight_dtype = np.dtype("float32")
    kernel = SCALE_AND_TRANSLATE_METHODS[method]
    matrices = [scale_translate_matrix(x.shape[d], target[d], s, t, kernel, bool(antialias), weight_dtype)
                .astype(dtype) for d, s, t in zip(dims, scale_values, translation_values)]
    return image_resize.resample(images, _AxisResampler(dims, matrices, dtype))
