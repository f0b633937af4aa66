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
from nanokeras.losses.hinge_losses import categorical_hinge, hinge, squared_hinge
from nanokeras.losses.probabilistic import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
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

# Keras 2 style short names.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
