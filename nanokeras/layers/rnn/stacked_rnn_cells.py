"""`StackedRNNCells`: several cells that act as one, each feeding its output to the next."""

from nanokeras.layers.layer import Layer
from nanokeras.tree import flatten


class StackedRNNCells(Layer):
    """Wraps a list of cells into one cell: at each step, cell k's output is cell k+1's input.

    Its state is the list of every cell's states. `RNN([cell_1, cell_2])` builds one.

    Example:
        >>> import numpy as np, nanokeras as keras
        >>> cells = keras.layers.StackedRNNCells([keras.layers.LSTMCell(4), keras.layers.GRUCell(3)])
        >>> keras.layers.RNN(cells)(np.ones((2, 5, 6), "float32")).shape
        (2, 3)
    """

    _replayable = True  # its call computes with recorded ops only

    def __init__(self, cells, **kwargs):
        super().__init__(**kwargs)
        cells = list(cells) if isinstance(cells, (list, tuple)) else [cells]
        if not cells:
            raise ValueError("StackedRNNCells: `cells` must be a non-empty list of RNN cells.")
        for cell in cells:
            if not callable(getattr(cell, "call", None)):
                raise ValueError(f"StackedRNNCells: all cells must have a `call` method. Received: cell={cell!r}")
            if getattr(cell, "state_size", None) is None:
                raise ValueError(
                    f"StackedRNNCells: all cells must have a `state_size` attribute. Received: cell={cell!r}")
        self.cells = cells

    @property
    def state_size(self):
        return [c.state_size for c in self.cells]

    @property
    def output_size(self):
        last = self.cells[-1]
        if getattr(last, "output_size", None) is not None:
            return last.output_size
        size = last.state_size
        return size[0] if isinstance(size, (list, tuple)) else size

    def get_initial_state(self, batch_size=None):
        import numpy as np

        states = []
        for cell in self.cells:
            initial = getattr(cell, "get_initial_state", None)
            if initial is not None:
                states.append(initial(batch_size=batch_size))
            elif isinstance(cell.state_size, (list, tuple)):
                states.append([np.zeros((batch_size, d), dtype=self.dtype) for d in cell.state_size])
            else:
                states.append(np.zeros((batch_size, cell.state_size), dtype=self.dtype))
        return states

    def call(self, inputs, states, training=False, **kwargs):
        new_states = []
        for cell, cell_states in zip(self.cells, states):
            was_list = isinstance(cell_states, (list, tuple))
            cell_states = list(cell_states) if was_list else [cell_states]
            cell_kwargs = dict(kwargs)
            if getattr(cell, "_call_takes_training", False):
                cell_kwargs["training"] = training
            step = cell if callable(cell) else cell.call
            inputs, cell_states = step(inputs, cell_states, **cell_kwargs)
            if not isinstance(cell_states, (list, tuple)):
                cell_states = [cell_states]
            if len(cell_states) == 1 and not was_list:
                cell_states = cell_states[0]
            new_states.append(cell_states)
        return inputs, new_states

    def build(self, input_shape):
        batch = flatten(input_shape)[0] if isinstance(input_shape, (list, tuple)) and input_shape else None
        for cell in self.cells:
            if isinstance(cell, Layer) and not cell.built:
                cell._build_for(tuple(input_shape))
            output_dim = getattr(cell, "output_size", None)
            if output_dim is None:
                size = cell.state_size
                output_dim = size[0] if isinstance(size, (list, tuple)) else size
            input_shape = (batch, output_dim)
        self.built = True

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        config = super().get_config()
        config["cells"] = [serialize_keras_object(cell) for cell in self.cells]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        config["cells"] = [deserialize_keras_object(c, custom_objects=custom_objects) if isinstance(c, dict) else c
                           for c in config.pop("cells")]
        return super().from_config(config)
