"""RGB <-> HSV on numpy arrays (channels last), each with its backward, for the hue and saturation layers.

The formulas are those of `keras.ops.image.rgb_to_hsv` / `hsv_to_rgb` on JAX (see
`nanokeras/ops/image_color.py`), redone here in plain numpy because an augmentation's
`_augment` works on arrays and hands back its own backward.
"""

import numpy as np


def rgb_to_hsv(rgb):
    """`(hsv, backward)` for `rgb` of shape (..., 3); `backward(g_hsv) -> g_rgb`."""
    dtype = rgb.dtype
    kept = np.abs(rgb) >= np.finfo(dtype).eps  # (tiny values count as 0, as the op does)
    rgb = np.where(kept, rgb, 0).astype(dtype, copy=False)
    top = np.argmax(rgb, axis=-1)[..., None]  # first maximum: red wins ties, then green, as the hue's branches
    bottom = np.argmin(rgb, axis=-1)[..., None]
    value = np.take_along_axis(rgb, top, -1)[..., 0]
    spread = value - np.take_along_axis(rgb, bottom, -1)[..., 0]
    lit, colored = value > 0, spread > 0
    saturation = np.where(lit, spread / np.where(lit, value, 1), 0).astype(dtype, copy=False)
    scale = 1 / (np.where(colored, spread, 1) * 6)
    # Hue on the maximum's branch: (p - q) / (6 spread) + k / 3, with (p, q) the two channels after it.
    after, second = np.take_along_axis(rgb, (top + 1) % 3, -1)[..., 0], np.take_along_axis(rgb, (top + 2) % 3, -1)[..., 0]
    hue = scale * (after - second) + top[..., 0].astype(dtype) * dtype.type(2.0 / 6.0)
    hue = (np.where(colored, hue, 0) + (hue < 0)).astype(dtype, copy=False)
    hsv = np.stack([hue, saturation, value], axis=-1)

    def backward(g):
        g_hue, g_saturation, g_value = g[..., 0], g[..., 1], g[..., 2]
        safe_spread, safe_value = np.where(colored, spread, 1), np.where(lit, value, 1)
        g_hue = np.where(colored, g_hue, 0)
        g_saturation = np.where(lit, g_saturation, 0)
        # Through the spread (max - min): the hue's 1/spread and the saturation's spread / value.
        g_spread = -g_hue * (after - second) / (6 * safe_spread ** 2) + g_saturation / safe_value
        g_top = g_value + g_spread - g_saturation * spread / safe_value ** 2
        channels = np.arange(3)
        out = ((channels == top) * g_top[..., None] - (channels == bottom) * g_spread[..., None]
               + (channels == (top + 1) % 3) * (g_hue * scale)[..., None]
               - (channels == (top + 2) % 3) * (g_hue * scale)[..., None])
        return (out * kept).astype(g.dtype, copy=False)

    return hsv, backward


def _ramps(hue, dtype):
    """Each channel's share of the color at `hue` (three clipped ramps of the hue sector), and their
    slopes with respect to the hue."""
    f = dtype.type
    sector = np.mod(hue, f(1.0)) * f(6.0)
    raw = [np.abs(sector - f(3.0)) - f(1.0), f(2.0) - np.abs(sector - f(2.0)), f(2.0) - np.abs(sector - f(4.0))]
    slopes = [np.sign(sector - 3), -np.sign(sector - 2), -np.sign(sector - 4)]
    ramps = [np.clip(r, f(0.0), f(1.0)) for r in raw]
    slopes = [6 * s * ((r >= 0) & (r <= 1)) for r, s in zip(raw, slopes)]
    return ramps, slopes


def hsv_to_rgb(hsv):
    """`(rgb, backward)` for `hsv` of shape (..., 3); `backward(g_rgb) -> g_hsv`."""
    dtype = hsv.dtype
    hue, saturation, value = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    ramps, slopes = _ramps(hue, dtype)
    grey = dtype.type(1.0) - saturation
    rgb = np.stack([value * (grey + saturation * r) for r in ramps], axis=-1)

    def backward(g):
        planes = [g[..., c] for c in range(3)]
        g_value = sum(p * (grey + saturation * r) for p, r in zip(planes, ramps))
        g_saturation = sum(p * value * (r - 1) for p, r in zip(planes, ramps))
        g_hue = sum(p * value * saturation * s for p, s in zip(planes, slopes))
        return np.stack([g_hue, g_saturation, g_value], axis=-1).astype(g.dtype, copy=False)

    return rgb, backward


def channels_last(layer, images):
    """`images` with channels on the last axis (a view), after checking there are 3 of them."""
    axis = -1 if layer.data_format == "channels_last" else 1
    if images.shape[axis] != 3:
        raise ValueError(f"{type(layer).__name__} {layer.name!r} expects RGB images (3 channels), "
                         f"got {images.shape[axis]} channels.")
    return images if axis == -1 else np.moveaxis(images, 1, -1)


def channels_back(layer, images):
    """The inverse of `channels_last`."""
    return images if layer.data_format == "channels_last" else np.moveaxis(images, -1, 1)
