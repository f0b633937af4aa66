"""`AugMix`: while training, mixes the images with several chains of random augmentations of them."""

import numbers

import numpy as np

from nanokeras.layers.preprocessing.image_preprocessing._value_range import check_value_range
from nanokeras.layers.preprocessing.image_preprocessing.base_image_preprocessing_layer import (
    BaseImagePreprocessingLayer,
    apply_in_turn,
)
from nanokeras.layers.preprocessing.image_preprocessing.rand_augment import auto_contrast, make_operations

# The operations a chain step picks from, in Keras's order; the last four only with `all_ops=True`.
STRUCTURAL = ("random_shear", "random_translation", "random_rotation", "random_posterization", "solarization",
              "auto_contrast", "equalization")
ALL_OPS = STRUCTURAL + ("random_brightness", "random_color_degeneration", "random_contrast", "random_sharpness")


class AugMix(BaseImagePreprocessingLayer):
    """AugMix (Hendrycks et al., 2019): builds `num_chains` chains of up to `chain_depth` operations each
    (every step picks an operation or none, uniformly, once per batch; the operations' parameters are
    drawn per image), adds the chains' results weighted by a Dirichlet(`alpha`) draw, mixes that with
    the images by a Beta(`alpha`, `alpha`) weight `m` (`m * images + (1 - m) * chains`) and clips to
    `value_range`. Keras picks the steps with Python's unseeded `random`; here the layer's stream does.

    Args:
        value_range: the images' range, `(0, 255)` by default.
        num_chains: how many chains to mix (3 by default).
        chain_depth: how many steps a chain has (3 by default; a step may apply nothing).
        factor: the operations' strength, a number `f` in [0, 1] (meaning `(0, f)`) or a pair; 0.3 by default.
        alpha: the Beta and Dirichlet distributions' concentration (1.0 by default).
        all_ops: whether brightness, color degeneration, contrast and sharpness are among the operations.
        interpolation: "bilinear" (default) or "nearest", for the geometric operations.
        seed: an int for reproducible draws.
        data_format: "channels_last" or "channels_first".

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> images = np.random.default_rng(0).uniform(0, 1, (2, 8, 8, 3)).astype("float32")
        >>> out = keras.layers.AugMix(value_range=(0, 1), seed=1)(images)
        >>> out.shape, bool(out.min() >= 0 and out.max() <= 1)
        ((2, 8, 8, 3), True)
    """

    _USE_BASE_FACTOR = False
    _FACTOR_BOUNDS = (0, 1)

    def __init__(self, value_range=(0, 255), num_chains=3, chain_depth=3, factor=0.3, alpha=1.0, all_ops=True,
                 interpolation="bilinear", seed=None, data_format=None, **kwargs):
        super().__init__(data_format=data_format, **kwargs)
        self._range = check_value_range("AugMix", value_range)
        self.value_range = value_range  # kept as given, as Keras's config keeps it
        for argument, value, least in (("num_chains", num_chains, 1), ("chain_depth", chain_depth, 0)):
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < least:
                raise ValueError(f"AugMix: `{argument}` must be an integer >= {least}, got {argument}={value!r}.")
        self.num_chains, self.chain_depth = int(num_chains), int(chain_depth)
        self._set_factor(factor)
        if not isinstance(alpha, numbers.Real) or isinstance(alpha, bool) or not alpha > 0:
            raise ValueError(f"AugMix: `alpha` must be a positive number, got alpha={alpha!r}.")
        self.alpha = alpha
        if not isinstance(all_ops, bool):
            raise ValueError(f"AugMix: `all_ops` must be True or False, got all_ops={all_ops!r}.")
        self.all_ops = all_ops
        if interpolation not in ("nearest", "bilinear"):
            raise ValueError(f"AugMix: `interpolation` must be 'nearest' or 'bilinear', "
                             f"got interpolation={interpolation!r}.")
        self.interpolation = interpolation
        self._set_seed(seed)
        self._names = ALL_OPS if all_ops else STRUCTURAL
        self._operations = make_operations(self.factor, value_range, interpolation, seed, self.data_format)
        for operation in self._operations.values():
            operation._noise = self._noise  # one random stream for all draws

    def get_random_transformation(self, data, training=True, seed=None):
        if not training:
            return None
        generator = self._generator
        gammas = generator.gamma(self.alpha, size=self.num_chains)  # a Dirichlet draw, as gammas normalized
        chain_weights = gammas / gammas.sum()
        mix_weight = generator.beta(self.alpha, self.alpha)
        chains = []
        for _ in range(self.num_chains):
            steps = []
            for _ in range(self.chain_depth):
                pick = int(generator.integers(0, len(self._names) + 1))  # the last choice: no operation
                if pick == len(self._names):
                    continue
                name = self._names[pick]
                operation = self._operations.get(name)
                steps.append({"layer_name": name,
                              "transformation": operation.get_random_transformation(data) if operation else None})
            chains.append(steps)
        return {"chain_mixing_weights": chain_weights, "weight_sample": mix_weight, "chain_transforms": chains}

    def _augment(self, images, transformation):
        dtype = images.dtype
        weights = np.asarray(transformation["chain_mixing_weights"], dtype)
        m = dtype.type(transformation["weight_sample"])
        mixed, chain_backwards = np.zeros_like(images), []
        for weight, steps in zip(weights, transformation["chain_transforms"]):
            chain, chain_backward = apply_in_turn(images, [self._step(step) for step in steps])
            mixed = mixed + chain * weight
            chain_backwards.append((weight, chain_backward))
        blended = m * images + (dtype.type(1) - m) * mixed
        low, high = self._range
        out = np.clip(blended, low, high).astype(dtype, copy=False)
        inside = (blended >= low) & (blended <= high)  # clipped values pass no gradient

        def backward(g):
            g = np.where(inside, g, 0).astype(g.dtype, copy=False)
            total = m * g
            for weight, chain_backward in chain_backwards:
                total = total + chain_backward((1 - m) * weight * g)
            return total.astype(g.dtype, copy=False)

        return out, backward

    def _step(self, step):
        if step["layer_name"] == "auto_contrast":
            return lambda images: auto_contrast(images, self.value_range, self.data_format)
        return lambda images: self._operations[step["layer_name"]]._augment(images, step["transformation"])

    def get_config(self):
        config = super().get_config()
        config.update({"value_range": self.value_range, "num_chains": self.num_chains,
                       "chain_depth": self.chain_depth, "factor": self.factor, "alpha": self.alpha,
                       "all_ops": self.all_ops, "interpolation": self.interpolation, "seed": self.seed})
        return config
