"""What the model thinks at every point of the plane: the decision boundary and each hidden unit.

The plane is sampled on a square grid; the model's prediction at each grid point
becomes one pixel of the boundary picture, and each hidden unit's activation one
pixel of that unit's picture. The page and the PNG renderer draw these same arrays.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="tanh"),
    ...                           keras.layers.Dense(1, activation="sigmoid")])
    >>> view = ModelView(model, extent=(-1, 1, -1, 1), size=8, unit_size=4)
    >>> view.probabilities().shape, [maps.shape for maps in view.hidden_maps()]
    ((8, 8, 2), [(3, 4, 4)])
"""

import numpy as np

import nanokeras as keras

# Layers that pass their input through unchanged at prediction time: they get no picture.
_PASS_THROUGH = ("Dropout", "GaussianNoise", "GaussianDropout", "AlphaDropout", "InputLayer", "ActivityRegularization")
MAX_UNIT_PICTURES = 64  # more hidden units than this and only the boundary is drawn


def data_extent(*arrays, margin=0.1):
    """`(x_min, x_max, y_min, y_max)` around all points, a square with `margin` of room on each side.

    Example:
        >>> data_extent(np.array([[0.0, 0.0], [1.0, 2.0]]))
        (-0.7, 1.7, -0.2, 2.2)
    """
    points = np.concatenate([np.asarray(a, dtype=np.float64).reshape(-1, 2) for a in arrays])
    low, high = points.min(axis=0), points.max(axis=0)
    center, half = (low + high) / 2, max(float((high - low).max()) / 2, 1e-6) * (1 + 2 * margin)
    return tuple(round(float(v), 6) for v in (center[0] - half, center[0] + half, center[1] - half, center[1] + half))


def grid(extent, size):
    """`size * size` points covering `extent`, row by row from the top (as an image is stored)."""
    x_min, x_max, y_min, y_max = extent
    step_x, step_y = (x_max - x_min) / size, (y_max - y_min) / size
    xs = x_min + step_x * (np.arange(size) + 0.5)
    ys = y_max - step_y * (np.arange(size) + 0.5)
    xx, yy = np.meshgrid(xs, ys)
    return np.stack([xx.ravel(), yy.ravel()], axis=1).astype(keras.backend.floatx())


def class_probabilities(outputs):
    """`(n, classes)` probabilities from a model's outputs: one sigmoid unit, or one column per class.

    Outputs outside [0, 1] (a model that returns logits) go through a sigmoid or a softmax first.
    """
    outputs = np.asarray(outputs, dtype=np.float64).reshape(len(outputs), -1)
    if outputs.shape[1] == 1:
        p = outputs[:, 0]
        if p.min() < 0 or p.max() > 1:
            p = 1 / (1 + np.exp(-np.clip(p, -60, 60)))
        return np.stack([1 - p, p], axis=1)
    if outputs.min() < 0 or np.abs(outputs.sum(axis=1) - 1).max() > 1e-3:
        shifted = np.exp(outputs - outputs.max(axis=1, keepdims=True))
        outputs = shifted / shifted.sum(axis=1, keepdims=True)
    return outputs


class ModelView:
    """Samples a trained (or training) model over a square of the plane.

    Args:
        model: a Keras model with two input features.
        extent: `(x_min, x_max, y_min, y_max)` of the square.
        size: pixels per side of the boundary picture.
        unit_size: pixels per side of each hidden unit's picture.
    """

    def __init__(self, model, extent, size=64, unit_size=24):
        self.model = model
        self.extent = tuple(extent)
        self.size, self.unit_size = size, unit_size
        self._grid = grid(self.extent, size)
        self._unit_grid = grid(self.extent, unit_size)
        self.hidden_layers = hidden_layers(model)
        self._probe = None
        if self.hidden_layers:
            self._probe = keras.Model(model.inputs, [layer.output for layer in self.hidden_layers])
        self._connections = _connections(model, self.hidden_layers)

    def probabilities(self):
        """`(size, size, classes)`: the predicted probability of each class at each pixel."""
        outputs = _predict_in_chunks(self.model, self._grid)[0]
        return class_probabilities(outputs).reshape(self.size, self.size, -1)

    def hidden_maps(self):
        """One `(units, unit_size, unit_size)` array of activations per hidden layer."""
        if self._probe is None:
            return []
        outputs = _predict_in_chunks(self._probe, self._unit_grid)
        side = self.unit_size
        return [np.asarray(out, dtype=np.float64).reshape(side, side, -1).transpose(2, 0, 1) for out in outputs]


    def connection_weights(self):
        """The kernels joining the columns the page draws (inputs, each hidden layer, output),
        one `(units in, units out)` array each; empty when the layers are not a chain of Dense kernels."""
        return [np.asarray(kernel, dtype=np.float64) for kernel in self._connections]


# Rows per prediction call. Above a few thousand rows OpenBLAS splits a matrix product across
# threads, which on a laptop busy with a browser costs up to a thousand times more than it saves
# at these sizes (measured: 4096 x 16 @ 16 x 16 took 18 ms threaded, 10 us on one thread).
_CHUNK = 1024


def _predict_in_chunks(model, points):
    """The model's outputs (a list, one array per output) for `points`, `_CHUNK` rows at a time."""
    chunks = []
    for start in range(0, len(points), _CHUNK):
        outputs = model.predict_on_batch(points[start:start + _CHUNK])
        chunks.append(list(outputs) if isinstance(outputs, (list, tuple)) else [outputs])
    return [np.concatenate([chunk[i] for chunk in chunks]) for i in range(len(chunks[0]))]


def _connections(model, hidden):
    """The `kernel` variables of `hidden` and the output layer, if they chain from 2 inputs."""
    if not hidden and not getattr(model, "layers", None):
        return []
    layers = list(hidden) + [model.layers[-1]]
    kernels, width = [], 2
    for layer in layers:
        kernel = getattr(layer, "kernel", None)
        if kernel is None or len(kernel.shape) != 2 or kernel.shape[0] != width:
            return []
        kernels.append(kernel)
        width = kernel.shape[1]
    return kernels


def hidden_layers(model):
    """The layers between input and output whose units the page draws (none if there are too many,
    or the model is not a graph of layers, e.g. a subclassed model)."""
    if not getattr(model, "inputs", None) or len(model.inputs) != 1:
        return []
    try:
        layers = [layer for layer in model.layers[:-1] if type(layer).__name__ not in _PASS_THROUGH]
        layers = [layer for layer in layers if len(layer.output.shape) == 2]
    except (AttributeError, ValueError, RuntimeError):
        return []  # a layer used several times, or never called on a graph: no single output to show
    if sum(layer.output.shape[-1] for layer in layers) > MAX_UNIT_PICTURES:
        return []
    return layers
