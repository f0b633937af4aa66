"""`keras.ops.nn`, `.numpy`, `.math`, `.core`, `.linalg` and `.image` take the functional API's symbolic tensors
as `keras.ops` does, and give the same values on arrays."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import ops

CASES = [
    ("nn", "relu", {}), ("nn", "softmax", {}), ("numpy", "exp", {}), ("numpy", "sum", {"axis": -1}),
    ("math", "logsumexp", {"axis": -1}), ("core", "stop_gradient", {}), ("linalg", "norm", {"axis": -1}),
]


@pytest.mark.parametrize("namespace, name, kwargs", CASES)
def test_namespace_functions_build_graph_steps_and_compute_as_keras_ops(namespace, name, kwargs):
    function = getattr(getattr(ops, namespace), name)
    inputs = keras.Input((3,))
    model = keras.Model(inputs, function(inputs, **kwargs))
    x = np.array([[-1.0, 0.5, 2.0], [3.0, -2.0, 0.0]], "float32")
    np.testing.assert_allclose(model.predict(x, verbose=0), getattr(ops, name)(x, **kwargs), rtol=1e-6)
    np.testing.assert_allclose(function(x, **kwargs), getattr(ops, name)(x, **kwargs), rtol=1e-6)


def test_namespaces_list_their_public_functions_only():
    assert "relu" in dir(ops.nn) and "conv" in ops.nn.__all__
    assert not any(name.startswith("_") for name in dir(ops.numpy))
    with pytest.raises(AttributeError):
        ops.nn.not_an_op
