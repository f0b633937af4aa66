"""`K.function` and `K.learning_phase`: Keras 2's way to read a model's intermediate outputs.

Old tutorials visualise what a layer computes with

    get_output = K.function([model.input], [model.layers[2].output])
    activations = get_output([x])[0]

(adding `K.learning_phase()` to the inputs, and feeding 0 or 1, to choose inference or
training behaviour). Keras 2 compiled a TensorFlow graph; here the symbolic tensors of the
functional API already form a graph, so `K.function` makes a functional model from them and
calls it. Keras 3 writes `keras.Model(model.input, model.layers[2].output)(x)`.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras import keras2_backend as K
    >>> x = keras.Input((2,))
    >>> doubled = keras.layers.Rescaling(2.0)(x)
    >>> K.function([x], [doubled])([np.array([[1.0, 3.0]])])[0].tolist()
    [[2.0, 6.0]]
"""

import numpy as np

from nanokeras.graph.keras_tensor import KerasTensor
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.tree import flatten, pack_sequence_as

_INSTEAD = "`keras.Model(inputs, outputs)` called on the data (`model(x, training=...)` or `model.predict(x)`)"


class _LearningPhase:
    """The symbolic "learning phase" input of Keras 2: fed 1 for training behaviour, 0 for inference."""

    def __repr__(self):
        return "<keras.backend.learning_phase()>"

    # Outside `K.function` it reads as the test phase, 0, as Keras 2's default phase did.
    def __bool__(self):
        return False

    def __index__(self):
        return 0

    __int__ = __index__


_LEARNING_PHASE = _LearningPhase()


@keras2_function("the `training` argument: `model(x, training=True)` or `Layer.call(inputs, training=None)`",
                 symbolic=False)
def learning_phase():
    """The learning-phase placeholder, for the inputs of `K.function` (feed 0 or 1)."""
    return _LEARNING_PHASE


class Keras2Function:
    """What `K.function(inputs, outputs)` returns: call it with a list of input values (one per
    input, in order) to get the outputs' values as numpy arrays."""

    def __init__(self, inputs, outputs, name=None):
        from nanokeras.models import Model

        listed = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        self._phase_position = next((i for i, t in enumerate(listed) if t is _LEARNING_PHASE), None)
        tensors = [t for t in listed if t is not _LEARNING_PHASE]
        for position, tensor in enumerate(tensors):
            if not isinstance(tensor, KerasTensor):
                raise TypeError(
                    f"`K.function` inputs must be symbolic tensors (`keras.Input(...)`, `model.input`) or "
                    f"`K.learning_phase()`; input {position} is {type(tensor).__name__}.")
        for tensor in flatten(outputs):
            if not isinstance(tensor, KerasTensor):
                raise TypeError(
                    "`K.function` outputs must be symbolic tensors of a functional model (`layer.output`, "
                    f"`model.output`), got {type(tensor).__name__}.")
        self._count = len(listed)
        self._outputs = outputs
        self._model = Model(tensors if len(tensors) != 1 else tensors[0], flatten(outputs), name=name)

    def __call__(self, inputs):
        values = list(inputs) if isinstance(inputs, (list, tuple)) else [inputs]
        if len(values) != self._count:
            raise ValueError(
                f"This `K.function` takes a list of {self._count} input value(s), one per input it was made "
                f"with; got {len(values)}.")
        training = False
        if self._phase_position is not None:
            training = bool(np.asarray(values.pop(self._phase_position)))
        data = values if len(values) != 1 else values[0]
        results = self._model(data, training=training)
        arrays = [np.asarray(r) for r in (results if isinstance(results, list) else [results])]
        return pack_sequence_as(self._outputs, arrays)


@keras2_function(_INSTEAD, symbolic=False)
def function(inputs, outputs, updates=None, name=None, **kwargs):
    """Keras 2's `K.function`: a callable from input values to the values of `outputs` (see the
    module doc). `updates` (TensorFlow graph assignments) are not supported."""
    if updates:
        raise NotImplementedError(
            "`K.function(..., updates=...)` runs TensorFlow graph assignments, which neither nanokeras nor "
            "Keras 3 has. Write instead: a training step with `keras.GradientTape` and "
            "`optimizer.apply_gradients`, or `variable.assign(...)`.")
    if kwargs:
        raise TypeError(f"`K.function` got unexpected keyword arguments {sorted(kwargs)} "
                        "(it takes inputs, outputs, updates, name).")
    return Keras2Function(inputs, outputs, name=name)
