"""Keras 2's `keras.optimizers.legacy` (tf.keras 2.11+ kept the old optimizers there).

Tutorials written for tf.keras 2.11–2.15 use `keras.optimizers.legacy.Adam(learning_rate=...)`
(the new optimizers were slow on Apple silicon). Keras 3 raises ImportError for every name in
it. Here each name is the Keras 3 optimizer of the same name, with a note on that spelling.
"""

from nanokeras.utils import keras2_notes

NAMES = ("Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop", "SGD")


def __getattr__(name):
    if name not in NAMES:
        raise AttributeError(f"module 'keras.optimizers.legacy' has no attribute {name!r}")
    keras2_notes.note("legacy_optimizers", used=f"`keras.optimizers.legacy.{name}`",
                      instead=f"`keras.optimizers.{name}`", error=keras2_notes.Keras3StrictAttributeError)
    import nanokeras.optimizers

    return getattr(nanokeras.optimizers, name)


def __dir__():
    return sorted(NAMES)
