"""Loss functions applied to symbolic tensors become steps of the functional graph.

Keras 2 code builds losses from the tensors of a functional model and passes them to
`model.add_loss` (the variational autoencoder's reconstruction and KL terms):

    reconstruction = keras.losses.binary_crossentropy(inputs, outputs) * 784

On KerasTensors the loss function is recorded like a `keras.ops` call; on data it
runs as before (two type checks are its whole cost).
"""

import functools

from nanokeras.graph.keras_tensor import KerasTensor


def accepting_symbolic_tensors(loss_function):
    """`loss_function(y_true, y_pred, ...)`, recorded as a graph step when either tensor is symbolic."""

    @functools.wraps(loss_function)
    def loss(y_true, y_pred, *args, **kwargs):
        if type(y_true) is KerasTensor or type(y_pred) is KerasTensor:
            from nanokeras.graph.symbolic_op import symbolic_op

            return symbolic_op(loss_function, (y_true, y_pred) + args, kwargs)
        return loss_function(y_true, y_pred, *args, **kwargs)

    return loss
