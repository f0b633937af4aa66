"""`CutMix`: while training, pastes a random rectangle of another image of the batch into each image."""

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._mixing import (
    LabelledCall, crop_bounds, patch_masks, spatial_size,
)
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer, shape_of,
)
from nanokeras.layers.preprocessing.image_preprocessing.mix_up import inverse_permutation, mix


class CutMix(LabelledCall, BaseImagePreprocessingLayer):
    """Pastes into each image a rectangle cut from another image of the batch (a random permutation);
    called on `{"images": x, "labels": y}` it mixes the labels in proportion to the areas.

    A weight `w ~ Beta(a, a)` is drawn per image (`a` drawn once per batch in `factor`, plus 1e-6); the
    rectangle is `sqrt(1 - w)` of the height and of the width, placed uniformly, and the label keeps the
    share of the image left uncovered. Single images (no batch axis) pass through: nothing to mix with.

    Args:
        factor: `f` (meaning `(0, f)`) or `(lower, upper)` in [0, 1]; 1.0 by default.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> images = np.stack([np.zeros((6, 6, 1)), np.ones((6, 6, 1))]).astype("float32")
        >>> out = keras.layers.CutMix(seed=3)({"images": images, "labels": np.eye(2, dtype="float32")})
        >>> bool(np.allclose(out["images"].mean(axis=(1, 2, 3)), out["labels"][:, 1], atol=0.2))
        True
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, factor=1.0, seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._set_factor(factor)
        self._set_seed(seed)

    def get_random_transformation(self, data, training=True, seed=None):
        shape = shape_of(data)
        if not training or len(shape) == 3:
            return None
        batch = shape[0]
        height, width = spatial_size(self, shape)
        generator = self._generator
        alpha = generator.uniform(self.factor[0], self.factor[1]) + 1e-6  # one per batch; > 0 for Beta
        weight = generator.beta(alpha, alpha, size=batch).astype(np.float32)
        ratio = np.sqrt(np.float32(1.0) - weight)
        x0, x1 = crop_bounds(generator, batch, width, ratio)
        y0, y1 = crop_bounds(generator, batch, height, ratio)
        permutation = generator.permutation(batch)
        # The label weight is the uncovered share of the (float) rectangle, as Keras computes it.
        mix_weight = (np.float32(1.0) - (x1 - x0) * (y1 - y0) / np.float32(width * height)).astype(np.float32)
        return {"permutation_order": permutation, "mix_weight": mix_weight,
                "batch_masks": patch_masks(x0, x1, y0, y1, height, width, self.data_format)}

    def _augment(self, images, transformation):
        masks = np.asarray(transformation["batch_masks"], dtype=bool)
        permutation = np.asarray(transformation["permutation_order"], dtype=np.intp)
        out = np.where(masks, np.take(images, permutation, axis=0), images)

        def backward(g):
            pasted = np.where(masks, g, 0)  # output i's rectangle came from image permutation[i]
            return (np.where(masks, 0, g) + np.take(pasted, inverse_permutation(permutation), axis=0)).astype(
                g.dtype, copy=False)

        return out.astype(images.dtype, copy=False), backward

    def _augment_labels(self, labels, transformation):
        dtype = labels.dtype if labels.dtype.kind == "f" else np.dtype(self.dtype)
        weight = np.asarray(transformation["mix_weight"]).reshape(-1)  # Keras's is (batch, 1, 1, 1)
        return mix(labels.astype(dtype, copy=False), weight, transformation["permutation_order"])

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor, "seed": self.seed})
        return config
