"""Keras 2's `fit_generator`, `evaluate_generator` and `predict_generator`.

Keras 2 kept them (deprecated) after `fit`/`evaluate`/`predict` learned to take
generators and `Sequence`s; Keras 3 removed them. Here each one notes the Keras 3
spelling and calls its modern form with the same meaning.
"""

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
