"""Which symbolic calls Keras fills arguments in on: the layer's `mask` and `training`."""

from nanokeras.graph.keras_tensor import KerasTensor


def keras_fills_call_arguments(layer, inputs, args, kwargs):
    """Whether Keras fills in (and records in the model's config) the `mask` and `training`
    arguments of this symbolic call: one KerasTensor with nothing else, in the layer's compute
    dtype (Keras converts any other call's arguments first, and records neither)."""
    if kwargs or args or not isinstance(inputs, KerasTensor):
        return False
    return str(inputs.dtype) == str(getattr(layer, "compute_dtype", None) or getattr(layer, "dtype", None))
