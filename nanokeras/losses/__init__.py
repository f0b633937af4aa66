"""`keras.losses`: loss functions, loss classes, and `get`/`serialize`/`deserialize`.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> loss = keras.losses.get("sparse_categorical_crossentropy")
    >>> loss(np.array([1]), np.array([[0.2, 0.8]]))
    array([0.22314355])
"""

from nanokeras.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank
from nanokeras.losses.classes import (
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    CosineSimilarity,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from nanokeras.losses.more_classes import (
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    CTC,
    Circle,
    Dice,
    Tversky,
)
from nanokeras.losses.circle_loss import circle
from nanokeras.losses.ctc_loss import ctc
from nanokeras.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from nanokeras.losses.overlap import dice, tversky
from nanokeras.losses.probabilistic import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from nanokeras.losses.regression import (
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from nanokeras.losses.registry import deserialize, get, serialize
from nanokeras.losses.target_checks import check_targets

from nanokeras.losses.reduction import Reduction as _Reduction
from nanokeras.utils import keras2_notes as _keras2_notes

# Keras 2 names that Keras 3 removed: they work, with a note on the Keras 3 name.
_KERAS2_NAMES = {
    "mse": "mean_squared_error", "MSE": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
    "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
    "kld": "kl_divergence", "KLD": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh",
}
_alias = _keras2_notes.module_getattr(globals(), "keras.losses", _KERAS2_NAMES, "loss_alias")


def __getattr__(name):
    if name == "Reduction":
        _keras2_notes.note("loss_reduction_enum", used="`keras.losses.Reduction`",
                           error=_keras2_notes.Keras3StrictAttributeError)
        return _Reduction
    return _alias(name)


# What `from keras.losses import *` gives: the losses, not the modules (`loss`, `regression`, ...) nor
# the helpers the package imports for itself (nor Keras 2's aliases, which come with a note on use).
__all__ = sorted(
    {_n for _n, _v in globals().items() if not _n.startswith("_") and type(_v).__name__ != "module"}
    - {"LossFunctionWrapper", "check_targets", "reduce_weighted_values", "squeeze_or_expand_to_same_rank"}
)
