"""Keras 2's `fit_generator`, `evaluate_generator`, `predict_generator` and `reset_states`, and
`Sequential`'s `predict_classes` and `predict_proba`.

Keras 2 kept the generator methods (deprecated) after `fit`/`evaluate`/`predict` learned to
take generators and `Sequence`s, and dropped the `predict_*` pair in 2.6; Keras 3 has none of
them. Here each one notes the Keras 3 spelling and computes what Keras 2 did.
"""

import warnings

import numpy as np

from nanokeras.trainers import batch_sources
from nanokeras.utils import keras2_notes


def _note(method):
    keras2_notes.note("fit_generator", used=f"`model.{method}_generator(...)`", instead=f"`model.{method}(...)`")


class Keras2TrainingMethods:
    """The `*_generator` methods of a Keras 2 `Model` (mixed into `keras.Model`)."""

    def fit_generator(self, generator, steps_per_epoch=None, epochs=1, verbose=1, callbacks=None,
                      validation_data=None, validation_steps=None, validation_freq=1, class_weight=None,
                      max_queue_size=10, workers=1, use_multiprocessing=False, shuffle=True, initial_epoch=0):
        """Keras 2's `fit` on a generator or `Sequence`: use `fit(generator, ...)` instead.

        `max_queue_size`, `workers` and `use_multiprocessing` are accepted and ignored
        (batches are made in the training thread).
        """
        _note("fit")
        if not batch_sources.is_sequence(generator):
            shuffle = False  # Keras 2 shuffled only a Sequence's batches, and said nothing of others
        return self.fit(generator, steps_per_epoch=steps_per_epoch, epochs=epochs, verbose=verbose,
                        callbacks=callbacks, validation_data=validation_data, validation_steps=validation_steps,
                        validation_freq=validation_freq, class_weight=class_weight, shuffle=shuffle,
                        initial_epoch=initial_epoch)

    def evaluate_generator(self, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                           use_multiprocessing=False, verbose=0):
        """Keras 2's `evaluate` on a generator or `Sequence`: use `evaluate(generator, ...)` instead."""
        _note("evaluate")
        return self.evaluate(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def predict_generator(self, generator, steps=None, callbacks=None, max_queue_size=10, workers=1,
                          use_multiprocessing=False, verbose=0):
        """Keras 2's `predict` on a generator or `Sequence`: use `predict(generator, ...)` instead."""
        _note("predict")
        return self.predict(generator, steps=steps, callbacks=callbacks, verbose=verbose)

    def reset_states(self):
        """Keras 2's way to zero the states of every stateful layer (a stateful LSTM's between
        epochs, in the time-series tutorials): use each layer's `reset_state()` instead."""
        keras2_notes.note("model_reset_states", error=keras2_notes.Keras3StrictAttributeError)  # a removed name
        for layer in self.layers:
            if getattr(layer, "stateful", False) or isinstance(layer, Keras2TrainingMethods):
                layer.reset_states()  # a nested model resets its own stateful layers


def _classes(proba):
    return proba.argmax(axis=-1) if proba.shape[-1] > 1 else (proba > 0.5).astype("int32")


class Keras2SequentialMethods:
    """`predict_classes` and `predict_proba`, which Keras 2's `Sequential` had until 2.6."""

    def predict_classes(self, x, batch_size=32, verbose=0):
        """Keras 2's class predictions: the argmax of a multi-unit output, else `output > 0.5` as int32.

        Example:
            >>> import numpy as np, warnings, nanokeras as keras
            >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="softmax")])
            >>> with warnings.catch_warnings():
            ...     warnings.simplefilter("ignore")
            ...     model.predict_classes(np.zeros((4, 2))).shape
            (4,)
        """
        keras2_notes.note("predict_classes", used="`model.predict_classes(x)`",
                          instead="`np.argmax(model.predict(x), axis=-1)` (softmax output) or "
                                  "`(model.predict(x) > 0.5).astype('int32')` (sigmoid output)")
        proba = self.predict(x, batch_size=batch_size, verbose=verbose)
        if isinstance(proba, (list, tuple)):  # a last layer with several outputs: classes of each
            return [_classes(p) for p in proba]
        return _classes(proba)

    def predict_proba(self, x, batch_size=32, verbose=0):
        """Keras 2's name for `predict` on a model whose outputs are probabilities."""
        keras2_notes.note("predict_classes", used="`model.predict_proba(x)`", instead="`model.predict(x)`")
        preds = self.predict(x, batch_size=batch_size, verbose=verbose)
        if isinstance(preds, np.ndarray) and preds.size and (preds.min() < 0.0 or preds.max() > 1.0):
            warnings.warn("Network returning invalid probability values. The last layer might not "
                          "normalize predictions into probabilities (like softmax or sigmoid would).",
                          stacklevel=2)
        return preds
