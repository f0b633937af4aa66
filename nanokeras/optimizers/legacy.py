"""Keras 2's `keras.optimizers.legacy` (tf.keras 2.11+ kept the old optimizers there).

Tutorials written for tf.keras 2.11–2.15 use `keras.optimizers.legacy.Adam(learning_rate=...)`
(the new optimizers were slow on Apple silicon). Keras 3 raises ImportError for every name in
it. Here each name is the Keras 3 optimizer of the same name, with a note on that spelling.
"""

from nanokeras.utils import keras2_notes

NAMES = ("Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop", "SGD")
__all__ = list(NAMES)  # a star import gives the optimizers (with the one note), not this module's own names


def _resolve(name):
    import nanokeras.optimizers

    return getattr(nanokeras.optimizers, name)


__getattr__ = keras2_notes.lent_getattr("keras.optimizers.legacy", NAMES, "legacy_optimizers", _resolve,
                                        instead=lambda name: f"`keras.optimizers.{name}`")


def __dir__():
    return sorted(NAMES)
