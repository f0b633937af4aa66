"""Loss classes for CTC, Dice, Tversky, Circle, categorical focal and generalized cross-entropy.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> float(keras.losses.Dice()(np.array([[1.0, 1.0]]), np.array([[1.0, 1.0]])))
    0.0
"""

from nanokeras.losses import circle_loss as _circle
from nanokeras.losses import ctc_loss as _ctc
from nanokeras.losses import overlap as _overlap
from nanokeras.losses import probabilistic as _prob
from nanokeras.losses.classes import _REDUCTION, _Wrapped
from nanokeras.losses.loss import squeeze_or_expand_to_same_rank


class Dice(_Wrapped):
    """The Dice loss `1 - 2|A n B| / (|A| + |B|)` of soft masks, over `axis` (None: everything).

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> y_true = np.array([[[1.0], [0.0]], [[1.0], [1.0]]])
        >>> losses = keras.losses.Dice(axis=(1, 2), reduction=None)(y_true, np.full((2, 2, 1), 0.5))
        >>> [round(float(v), 4) for v in losses]
        [0.5, 0.3333]
    """

    _fn = staticmethod(_overlap.dice)
    _arg_names = ("axis",)

    def __init__(self, reduction=_REDUCTION, name="dice", axis=None, dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, axis=axis)


class Tversky(_Wrapped):
    """The Tversky loss: Dice with false positives weighted by `alpha`, false negatives by `beta`."""

    _fn = staticmethod(_overlap.tversky)
    _arg_names = ("alpha", "beta", "axis")

    def __init__(self, alpha=0.5, beta=0.5, reduction=_REDUCTION, name="tversky", axis=None, dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, alpha=alpha, beta=beta, axis=axis)


class Circle(_Wrapped):
    """The Circle loss on L2-normalized embeddings and integer labels (see `keras.losses.circle`).

    Samples whose loss is 0 do not count in the mean (as Keras masks them).
    """

    _fn = staticmethod(_circle.circle)
    _arg_names = ("gamma", "margin", "remove_diagonal")

    def __init__(self, gamma=80.0, margin=0.4, remove_diagonal=True, reduction=_REDUCTION, name="circle",
                 dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, gamma=gamma, margin=margin,
                         remove_diagonal=remove_diagonal)

    def _call_with_mask(self, y_true, y_pred):
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return _circle.circle_losses(y_true, y_pred, gamma=self.gamma, margin=self.margin,
                                     remove_diagonal=self.remove_diagonal)


class CategoricalFocalCrossentropy(_Wrapped):
    """Categorical cross-entropy that down-weights easy examples by `alpha * (1 - p) ** gamma`.

    Args:
        alpha: the weight of every class (0.25).
        gamma: the focusing exponent (2.0); 0 gives `alpha` times the cross-entropy.
        from_logits, label_smoothing, axis: as for `CategoricalCrossentropy`.
    """

    _fn = staticmethod(_prob.categorical_focal_crossentropy)
    _arg_names = ("from_logits", "label_smoothing", "axis", "alpha", "gamma")

    def __init__(self, alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction=_REDUCTION, name="categorical_focal_crossentropy", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype, alpha=alpha, gamma=gamma,
                         from_logits=from_logits, label_smoothing=label_smoothing, axis=axis)


class CategoricalGeneralizedCrossEntropy(_Wrapped):
    """The generalized cross-entropy `(1 - p_true ** q) / q` on integer labels, robust to noisy labels.

    Args:
        q: in (0, 1) (0.5).
    """

    _fn = staticmethod(_prob.categorical_generalized_cross_entropy)
    _arg_names = ("q",)

    def __init__(self, q=0.5, reduction=_REDUCTION, name="categorical_generalized_cross_entropy", dtype=None):
        if not 0 < q < 1:
            raise ValueError("q must be in the interval (0, 1)")
        super().__init__(reduction=reduction, name=name, dtype=dtype, q=q)


class CTC(_Wrapped):
    """The CTC loss (see `keras.losses.ctc`): labels padded with 0 (the blank), logits over time.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> round(float(keras.losses.CTC()(np.array([[1, 2, 0]]), np.zeros((1, 4, 3), "float32"))), 4)
        1.6864
    """

    _fn = staticmethod(_ctc.ctc)
    casts_labels_to_float = False  # its labels are class ids

    def __init__(self, reduction=_REDUCTION, name="ctc", dtype=None):
        super().__init__(reduction=reduction, name=name, dtype=dtype)
