"""The model for a set-up: the same layers, in the same order, as the code panel writes.

Example:
    >>> from nanokeras.playground.settings import Settings
    >>> from nanokeras.playground.model_builder import build_model
    >>> model = build_model(Settings(hidden=(3,)), num_classes=2)
    >>> [layer.name for layer in model.layers], model.count_params()
    (['dense', 'dense_1'], 13)
"""

import nanokeras as keras
from nanokeras.playground.settings import OPTIMIZERS


def build_model(settings, num_classes=2):
    """A compiled `keras.Sequential` for `settings`; weights drawn after seeding with `settings.seed`.

    Two classes get one sigmoid unit and binary cross-entropy; more classes get a
    softmax over them and sparse categorical cross-entropy (labels stay integers).
    Layer names restart (`dense`, `dense_1`, ...), as in the pasted program run afresh.
    """
    keras.backend.clear_session(free_memory=False)
    keras.utils.set_random_seed(settings.seed)
    layers = [keras.Input(shape=(2,))]
    for units in settings.hidden:
        regularizer = keras.regularizers.L2(settings.l2) if settings.l2 else None
        layers.append(keras.layers.Dense(units, activation=settings.activation, kernel_regularizer=regularizer))
        if settings.dropout:
            layers.append(keras.layers.Dropout(settings.dropout))
    if num_classes == 2:
        layers.append(keras.layers.Dense(1, activation="sigmoid"))
        loss = "binary_crossentropy"
    else:
        layers.append(keras.layers.Dense(num_classes, activation="softmax"))
        loss = "sparse_categorical_crossentropy"
    model = keras.Sequential(layers)
    optimizer = getattr(keras.optimizers, OPTIMIZERS[settings.optimizer])(learning_rate=settings.learning_rate)
    model.compile(optimizer=optimizer, loss=loss, metrics=["accuracy"])
    return model
