"""Warping a batch with one affine matrix per image: shared by `RandomRotation`, `RandomZoom`, `RandomTranslation`."""

import math

import numpy as np

from nanokeras.ops import image_sampling


def warp(images, matrices, interpolation, fill_mode, fill_value, data_format):
    """`(warped batch, backward)`: `ops.image.affine_transform` on numpy arrays, with its gradient."""
    channels_last = images if data_format == "channels_last" else np.moveaxis(images, 1, -1)
    height, width = channels_last.shape[1], channels_last.shape[2]
    dtype = channels_last.dtype if channels_last.dtype.kind == "f" else np.dtype("float32")
    y_in, x_in = image_sampling.affine_coordinates(np.asarray(matrices), height, width, dtype)
    sampler = image_sampling.Sampler(channels_last.shape, [y_in, x_in], (1, 2), 1,
                                     image_sampling.INTERPOLATIONS[interpolation], fill_mode)
    out = sampler.read(channels_last, fill_value)

    def backward(g):
        g = g if data_format == "channels_last" else np.moveaxis(g, 1, -1)
        grad = sampler.scatter(np.ascontiguousarray(g))
        return grad if data_format == "channels_last" else np.ascontiguousarray(np.moveaxis(grad, -1, 1))

    if data_format == "channels_first":
        out = np.ascontiguousarray(np.moveaxis(out, -1, 1))
    return out, backward


def affine_matrix(angle_degrees, scale, translate, height, width):
    """Keras's rotation/scale/translation matrix about the image centre, rows of 8 parameters (float32)."""
    angle = np.asarray(angle_degrees, dtype=np.float32) * np.float32(math.pi / 180.0)
    scale = np.asarray(scale, dtype=np.float32)
    cx = np.float32(0.5) * np.float32(width - 1)
    cy = np.float32(0.5) * np.float32(height - 1)
    cos, sin = np.cos(angle), np.sin(angle)
    shear = np.float32(0.0)
    a0 = scale * (cos + shear * sin)
    a1 = scale * (-sin + shear * cos)
    a2 = translate[0] + cx - cx * a0 - cy * a1
    b0 = scale * (shear * cos + sin)
    b1 = scale * (shear * -sin + cos)
    b2 = translate[1] + cy - cx * b0 - cy * b1
    zeros = np.zeros((angle.shape[0], 2), dtype=np.float32)
    return np.concatenate([a0[:, None], a1[:, None], a2[:, None], b0[:, None], b1[:, None], b2[:, None], zeros],
                          axis=1).astype(np.float32)


def check_choice(layer_name, argument, value, choices):
    if value not in choices:
        raise ValueError(
            f"{layer_name}: `{argument}` must be one of {', '.join(repr(c) for c in choices)}, got {value!r}."
        )
    return value
