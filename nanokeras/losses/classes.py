"""Loss classes: each wraps a loss function with its arguments and a reduction.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> loss = keras.losses.BinaryCrossentropy(from_logits=True)
    >>> round(float(loss(np.array([[1.0]]), np.array([[0.0]]))), 4)
    0.6931
"""

from nanokeras.backend import masking
from nanokeras.ops import crossentropy as ops
from nanokeras.losses import hinge_losses as _hinge
from nanokeras.losses import probabilistic as _prob
from nanokeras.losses import regression as _reg
from nanokeras.losses.loss import Loss, convert, squeeze_or_expand_to_same_rank

_REDUCTION = "sum_over_batch_size"


def _binary_mean(y_true, y_pred, from_logits, dtype):
    y_true, y_pred = convert(y_true, dtype), convert(y_pred, dtype)
    if y_true.ndim != y_pred.ndim:  # fit shapes labels once per call, so usually skipped
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean_binary_crossentropy(y_true, y_pred, from_logits=from_logits)


def _categorical_mean(y_true, y_pred, from_logits, dtype):
    y_true, y_pred = convert(y_true, dtype), convert(y_pred, dtype)
    if y_true.ndim != y_pred.ndim:
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    return ops.mean_categorical_crossentropy(y_true, y_pred, from_logits=from_logits)


def _sparse_categorical_mean(y_true, y_pred, from_logits, dtype):
    # The labels go in as given: the op reads (and converts) them itself, also on replays.
    return ops.mean_sparse_categorical_crossentropy(y_true, convert(y_pred, dtype), from_logits=from_logits)


# Cross-entropies whose default reduction ("sum_over_batch_size") can be taken
# inside the loss op itself: per-sample loss and batch mean as ONE tape node.
_MEAN_FORMS = {
    _prob.binary_crossentropy: _binary_mean,
    _prob.categorical_crossentropy: _categorical_mean,
    _prob.sparse_categorical_crossentropy: _sparse_categorical_mean,
}
# The options those mean forms implement (from_logits: any value).
_PLAIN_OPTIONS = {"label_smoothing": 0.0, "axis": -1, "ignore_class": None}
_NOT_AN_OPTION = object()

# The built-in loss functions that turn the labels into floats of the loss dtype
# (everything but the sparse cross-entropy, which reads class indices).
_FUNCTIONS_CASTING_LABELS = frozenset({
    _prob.binary_crossentropy, _prob.binary_focal_crossentropy, _prob.categorical_crossentropy,
    _prob.kl_divergence, _prob.poisson, _reg.mean_squared_error, _reg.mean_absolute_error,
    _reg.mean_absolute_percentage_error, _reg.mean_squared_logarithmic_error, _reg.cosine_similarity,
    _reg.huber, _reg.log_cosh, _hinge.hinge, _hinge.squared_hinge, _hinge.categorical_hinge,
})


def mean_form(fn, options, reduction):
    """For a cross-entropy with plain options and the default reduction, a function computing
    `loss(y_true, y_pred)` reduced as ONE tape node (`(y_true, y_pred, from_logits, dtype)`); else None."""
    if reduction != "sum_over_batch_size":
        return None
    form = _MEAN_FORMS.get(fn)
    if form is None:
        return None
    for key, value in options.items():
        if key != "from_logits" and _PLAIN_OPTIONS.get(key, _NOT_AN_OPTION) != value:
            return None
    return form


class LossFunctionWrapper(Loss):
    """A `Loss` that calls `fn(y_true, y_pred, **kwargs)` after matching the ranks of the inputs.

    Args:
        fn: a loss function returning per-sample losses.
        reduction, name, dtype: as for `Loss`.
        **kwargs: extra arguments passed to `fn` on every call.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> loss = keras.losses.LossFunctionWrapper(keras.losses.huber, delta=0.5)
        >>> float(loss(np.array([[0.0]]), np.array([[2.0]])))
        0.875
    """

    _accepts_extra_keywords = True  # **kwargs go to `fn`

    def __init__(self, fn, reduction=_REDUCTION, name=None, dtype=None, **kwargs):
        if not callable(fn):
            raise TypeError(f"LossFunctionWrapper: `fn` must be a callable loss function, got {fn!r}.")
        super().__init__(name=name, reduction=reduction, dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    @property
    def casts_labels_to_float(self):
        """True when `fn` is a built-in loss that turns labels into floats anyway (see `Loss`)."""
        return self.fn in _FUNCTIONS_CASTING_LABELS

    def _options(self):
        """The keyword arguments `fn` gets, as they are now."""
        return self._fn_kwargs

    def __call__(self, y_true, y_pred, sample_weight=None):
        if sample_weight is None and not (masking.masks_in_use() and masking.get_keras_mask(y_pred) is not None):
            # Decided on every call, from the loss's current settings.
            options = self._options()
            form = mean_form(self.fn, options, self.reduction)
            if form is not None:
                # The training hot path: per-sample loss and the batch mean in one tape node.
                return form(y_true, y_pred, options.get("from_logits", False), self._dtype)
        return super().__call__(y_true, y_pred, sample_weight)

    def call(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._options())

    def get_config(self):
        from nanokeras.losses.registry import serialize

        config = super().get_config()
        config["fn"] = serialize(self.fn)
        config.update(self._fn_kwargs)
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "fn" in config:
            from nanokeras.losses.registry import deserialize

            config["fn"] = deserialize(config["fn"])
        return cls(**config)

    def __repr__(self):
        return f"<LossFunctionWrapper({getattr(self.fn, '__name__', self.fn)}, kwargs={self._options()})>"


class _Wrapped(LossFunctionWrapper):
    """A named Keras loss class: the config holds its own arguments, not the function.

    Its arguments are attributes (`loss.from_logits`), read on every call: changing
    one after construction takes effect.
    """

    _fn = None
    _arg_names = ()
    casts_labels_to_float = True

    def __init__(self, reduction=_REDUCTION, name=None, dtype=None, **kwargs):
        super().__init__(type(self)._fn, reduction=reduction, name=name, dtype=dtype, **kwargs)
        for key in self._arg_names:
            setattr(self, key, kwargs[key])

    def _options(self):
        return {key: getattr(self, key) for key in self._arg_names}

    # Arguments Keras 3.15 leaves out of the class's config (a config with them still loads).
    _config_omits = ()

    def get_config(self):
        config = Loss.get_config(self)
        config.update({key: getattr(self, key) for key in self._arg_names if key not in self._config_omits})
        return config

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class MeanSquaredError(_Wrapped):
    """Mean of squares of errors: `mean(square(y_true - y_pred))`.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> float(keras.losses.MeanSquaredError()(np.array([[0.0, 1.0]]), np.array([[1.0, 1.0]])))
        0.5
    """

    _fn = staticmethod(_reg.mean_squared_error)

    def __init__(self, reduction=_REDUCTION, name="mean_squared_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(_Wrapped):
    """Mean of absolute errors: `mean(abs(y_true - y_pred))`."""

    _fn = staticmethod(_reg.mean_absolute_error)

    def __init__(self, reduction=_REDUCTION, name="mean_absolute_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MeanAbsolutePercentageError(_Wrapped):
    """`100 * mean(abs((y_true - y_pred) / y_true))` (the denominator at least epsilon)."""

    _fn = staticmethod(_reg.mean_absolute_percentage_error)

    def __init__(self, reduction=_REDUCTION, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_Wrapped):
    """`mean(square(log(y_pred + 1) - log(y_true + 1)))` (inputs at least epsilon)."""

    _fn = staticmethod(_reg.mean_squared_logarithmic_error)

    def __init__(self, reduction=_REDUCTION, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(_Wrapped):
    """Negative cosine similarity along `axis`: -1 for aligned vectors, 0 for orthogonal ones."""

    _fn = staticmethod(_reg.cosine_similarity)
    _arg_names = ("axis",)

    def __init__(self, axis=-1, reduction=_REDUCTION, name="cosine_similarity", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=axis)


class Huber(_Wrapped):
    """Huber loss: quadratic for errors up to `delta`, linear beyond."""

    _fn = staticmethod(_reg.huber)
    _arg_names = ("delta",)

    def __init__(self, delta=1.0, reduction=_REDUCTION, name="huber_loss", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, delta=delta)


class LogCosh(_Wrapped):
    """Logarithm of the hyperbolic cosine of the prediction error."""

    _fn = staticmethod(_reg.log_cosh)

    def __init__(self, reduction=_REDUCTION, name="log_cosh", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class Hinge(_Wrapped):
    """`mean(maximum(1 - y_true * y_pred, 0))`, labels -1/1 (0/1 are converted)."""

    _fn = staticmethod(_hinge.hinge)

    def __init__(self, reduction=_REDUCTION, name="hinge", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(_Wrapped):
    """`mean(square(maximum(1 - y_true * y_pred, 0)))`, labels -1/1 (0/1 are converted)."""

    _fn = staticmethod(_hinge.squared_hinge)

    def __init__(self, reduction=_REDUCTION, name="squared_hinge", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(_Wrapped):
    """`maximum(neg - pos + 1, 0)` for one-hot labels."""

    _fn = staticmethod(_hinge.categorical_hinge)

    def __init__(self, reduction=_REDUCTION, name="categorical_hinge", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class KLDivergence(_Wrapped):
    """Kullback-Leibler divergence `sum(y_true * log(y_true / y_pred))`."""

    _fn = staticmethod(_prob.kl_divergence)

    def __init__(self, reduction=_REDUCTION, name="kl_divergence", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class Poisson(_Wrapped):
    """Poisson loss `mean(y_pred - y_true * log(y_pred))`."""

    _fn = staticmethod(_prob.poisson)

    def __init__(self, reduction=_REDUCTION, name="poisson", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)


class BinaryCrossentropy(_Wrapped):
    """Binary cross-entropy between 0/1 labels and predicted probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + 0.5 * s`.
        axis: the axis the per-sample mean is taken over.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> bce = keras.losses.BinaryCrossentropy()
        >>> round(float(bce(np.array([[0.0, 1.0]]), np.array([[0.4, 0.6]]))), 4)
        0.5108
    """

    _fn = staticmethod(_prob.binary_crossentropy)
    _arg_names = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self, from_logits=False, label_smoothing=0.0, axis=-1, reduction=_REDUCTION, name="binary_crossentropy", dtype=None
    ):
        super().__init__(
            reduction=reduction, name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis
        )


class BinaryFocalCrossentropy(_Wrapped):
    """Binary cross-entropy that down-weights easy examples by `(1 - p_t) ** gamma`."""

    _fn = staticmethod(_prob.binary_focal_crossentropy)
    _arg_names = ("from_logits", "label_smoothing", "axis", "apply_class_balancing", "alpha", "gamma")

    def __init__(
        self,
        apply_class_balancing=False,
        alpha=0.25,
        gamma=2.0,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_REDUCTION,
        name="binary_focal_crossentropy",
        dtype=None,
    ):
        super().__init__(
            reduction=reduction,
            name=name,
            dtype=dtype,
            apply_class_balancing=apply_class_balancing,
            alpha=alpha,
            gamma=gamma,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
        )


class CategoricalCrossentropy(_Wrapped):
    """Cross-entropy between one-hot labels and predicted class probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        label_smoothing: in [0, 1]; labels become `y * (1 - s) + s / num_classes`.
        axis: the class axis.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> cce = keras.losses.CategoricalCrossentropy()
        >>> round(float(cce(np.array([[0.0, 1.0]]), np.array([[0.2, 0.8]]))), 4)
        0.2231
    """

    _fn = staticmethod(_prob.categorical_crossentropy)
    _arg_names = ("from_logits", "label_smoothing", "axis")

    def __init__(
        self,
        from_logits=False,
        label_smoothing=0.0,
        axis=-1,
        reduction=_REDUCTION,
        name="categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            reduction=reduction, name=name, dtype=dtype, from_logits=from_logits, label_smoothing=label_smoothing, axis=axis
        )


class SparseCategoricalCrossentropy(_Wrapped):
    """Cross-entropy between integer class labels and predicted class probabilities (or logits).

    Args:
        from_logits: whether `y_pred` holds logits rather than probabilities.
        ignore_class: a label value to leave out of the loss and of the averaging.
        axis: the class axis.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> scce = keras.losses.SparseCategoricalCrossentropy()
        >>> round(float(scce(np.array([1, 2]), np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]]))), 3)
        1.177
    """

    _fn = staticmethod(_prob.sparse_categorical_crossentropy)
    _arg_names = ("from_logits", "ignore_class", "axis")
    _config_omits = ("axis",)  # as Keras's get_config
    casts_labels_to_float = False  # its labels are class indices

    def __init__(
        self,
        from_logits=False,
        ignore_class=None,
        reduction=_REDUCTION,
        axis=-1,
        name="sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            reduction=reduction, name=name, dtype=dtype, from_logits=from_logits, ignore_class=ignore_class, axis=axis
        )

    def _call_with_mask(self, y_true, y_pred):
        if self.ignore_class is None:
            return self.call(y_true, y_pred), None
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return _prob.sparse_categorical_crossentropy_with_mask(
            y_true, y_pred, from_logits=self.from_logits, ignore_class=self.ignore_class, axis=self.axis
        )
