"""What `MixUp`, `CutMix`, `RandomErasing`, `RandomShear` and `RandomPerspective` share.

`LabelledCall` lets a layer be called, as in Keras, on `{"images": ..., "labels": ...}`
as well as on images: one transformation is drawn per call and applied to both
(labels are mixed by `MixUp` and `CutMix`, passed through by the others).
`patch_masks` and `crop_bounds` give the random rectangles of `CutMix` and
`RandomErasing`.
"""

import numbers

import numpy as np

from nanokeras.ops.random_transform import random_transform

_KEYS = ("images", "labels")


def _identity(x):
    return x, lambda g: g


class LabelledCall:
    """A `call` taking images or a dict of images and labels (put before the base class)."""

    def transform_labels(self, labels, transformation, training=True):
        """Applies `transformation` (from `get_random_transformation`) to a batch of labels."""
        labels = np.asarray(labels)
        if not training or transformation is None:
            return labels
        return self._augment_labels(labels, transformation)[0]

    def _augment_labels(self, labels, transformation):
        """`(labels out, backward)` for a batch of labels (here: unchanged)."""
        return _identity(labels)

    def call(self, inputs, training=True):
        if training is None:
            training = True
        labelled = isinstance(inputs, dict)
        if labelled:
            unknown = sorted(set(inputs) - set(_KEYS))
            if "images" not in inputs or unknown:
                raise ValueError(
                    f"{type(self).__name__} {self.name!r} takes images or a dict with the keys 'images' and "
                    f"(optionally) 'labels', got a dict with the keys {sorted(inputs)}."
                )
        images = inputs["images"] if labelled else inputs
        shape = tuple(images.shape)
        self._spatial_axes(len(shape))
        if not training:
            return dict(inputs) if labelled else self._inference(images)
        batched = len(shape) == 4
        latest = []  # the draw of this call (and of each replay), read by the labels' op

        def draw():
            latest[:] = [self.get_random_transformation(shape, training=True)]
            return latest[0]

        def apply(augment):
            def run(x, transformation):
                if transformation is None:
                    return _identity(x)
                if batched:
                    return augment(x, transformation)
                out, backward = augment(x[None], transformation)
                return out[0], lambda g: backward(g[None])[0]
            return run

        out = random_transform(images, draw, apply(self._augment))
        if not labelled:
            return out
        result = dict(inputs)
        result["images"] = out
        if "labels" in inputs:
            # Drawn by the images' op just before (on replays too): both see the same draw.
            result["labels"] = random_transform(inputs["labels"], lambda: latest[0], apply(self._augment_labels))
        return result

    def compute_output_shape(self, input_shape):
        return dict(input_shape) if isinstance(input_shape, dict) else tuple(input_shape)


def crop_bounds(generator, batch, length, ratio):
    """`(start, end)` of one side of random rectangles: `ratio * length` long (float32), placed
    uniformly inside `length`."""
    side = (np.asarray(ratio, np.float32) * np.float32(length)).astype(np.float32)
    start = generator.uniform(0, 1, size=batch).astype(np.float32) * (np.float32(length) - side)
    return start, start + side


def patch_masks(x0, x1, y0, y1, height, width, data_format):
    """Boolean masks (batch, h, w, 1) or (batch, 1, h, w) of the pixels with `x0 <= x < x1` and
    `y0 <= y < y1` (float bounds: a pixel is in when its index is)."""
    ys = np.arange(height, dtype=np.float32).reshape(1, height, 1)
    xs = np.arange(width, dtype=np.float32).reshape(1, 1, width)
    x0, x1, y0, y1 = (np.asarray(b, np.float32).reshape(-1, 1, 1) for b in (x0, x1, y0, y1))
    masks = (xs >= x0) & (xs < x1) & (ys >= y0) & (ys < y1)
    return masks[..., None] if data_format == "channels_last" else masks[:, None]


def batch_of(shape):
    return shape[0] if len(shape) == 4 else 1


def spatial_size(layer, shape):
    h_axis, w_axis = layer._spatial_axes(len(shape))
    return shape[h_axis], shape[w_axis]


def unit_range(layer_name, argument, value, symmetric=False):
    """`(lower, upper)` from `f` in [0, 1] (meaning `(0, f)`, or `(-f, f)` when `symmetric`) or a pair
    in [0, 1] ([-1, 1] when `symmetric`: a layer's own config must load again), else a ValueError."""
    pair = isinstance(value, (tuple, list))
    values = list(value) if pair else [value]
    low = -1 if symmetric and pair else 0
    if ((pair and len(values) != 2)
            or not all(isinstance(v, numbers.Real) and not isinstance(v, bool) and low <= v <= 1 for v in values)):
        expected = f"a number in [0, 1] or a pair of numbers in [{low}, 1]"
        raise ValueError(f"{layer_name}: `{argument}` must be {expected}, got {argument}={value!r}.")
    return tuple(sorted(values)) if pair else (-value if symmetric else 0, value)
