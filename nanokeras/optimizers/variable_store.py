"""How an optimizer creates, orders, names and saves its `Variable`s.

`OptimizerVariables` is the half of `Optimizer` that manages state. The order of
`variables` is creation order, exactly as Keras 3 keeps it, because `.keras`
files store optimizer state by position.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras.optimizers import Adam
    >>> opt = Adam(name="adam")
    >>> opt.build([keras.Variable(np.zeros(2), name="bias")])
    >>> [v.path for v in opt.variables]
    ['adam/iteration', 'adam/learning_rate', 'adam/bias_momentum', 'adam/bias_velocity']
"""

import warnings

import numpy as np

from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable, standardize_dtype


class OptimizerVariables:
    """Variable creation and tracking for optimizers (mixed into `Optimizer`)."""

    def _init_store(self):
        # `__setattr__` refuses attributes until this exists (a forgotten `super().__init__()`).
        object.__setattr__(self, "_variables", [])
        object.__setattr__(self, "_hyper_cache", {})
        self._tracked_ids = set()
        self._trainable_variables = []
        self._trainable_variables_indices = {}
        self._exclude_from_weight_decay = set()
        self._exclude_from_weight_decay_pattern = None
        self._exclude_from_weight_decay_cache = {}
        # [(model variables, slot list)] from `add_optimizer_variables`: what can be packed.
        self._slot_groups = []

    def __setattr__(self, name, value):
        if "_variables" not in self.__dict__:
            raise RuntimeError(
                f"In optimizer {type(self).__name__!r}, `super().__init__()` must be called "
                "first in `__init__`, before setting attributes."
            )
        # A Variable stored as an attribute is optimizer state, as in Keras.
        if isinstance(value, Variable):
            self._track_variable(value)
        elif name[0] != "_":
            self._hyper_cache.clear()  # a hyperparameter may have changed
        object.__setattr__(self, name, value)

    def _track_variable(self, variable):
        if id(variable) not in self._tracked_ids:
            self._tracked_ids.add(id(variable))
            self._variables.append(variable)

    def _untrack_variable(self, variable):
        if id(variable) in self._tracked_ids:
            self._tracked_ids.discard(id(variable))
            # By identity: `==` on variables compares their values.
            self._variables = [v for v in self._variables if v is not variable]

    @property
    def variables(self):
        """All optimizer state, in Keras's order (iteration, learning_rate, slots...)."""
        return self._variables[:]

    def _make_variable(self, value, name):
        variable = Variable(value, dtype=value.dtype, trainable=False, name=name)
        variable.path = f"{self.name}/{name}"
        self._track_variable(variable)
        return variable

    def add_variable(self, shape, initializer="zeros", dtype=None, aggregation="none", layout=None, name=None):
        """Creates a non-trainable optimizer variable.

        Args:
            shape: its shape.
            initializer: `"zeros"`, `"ones"`, a number, or a callable `(shape, dtype) -> array`.
            dtype: defaults to `keras.backend.floatx()`.
            name: its name; its path is `<optimizer name>/<name>`.
        """
        dtype = standardize_dtype(dtype)
        shape = tuple(shape)
        if isinstance(initializer, str) and initializer in ("zeros", "ones"):
            value = (np.zeros if initializer == "zeros" else np.ones)(shape, dtype=dtype)
        elif isinstance(initializer, (int, float, np.number)) and not isinstance(initializer, bool):
            value = np.full(shape, initializer, dtype=dtype)
        else:
            if isinstance(initializer, (str, dict)):
                from nanokeras import initializers

                initializer = initializers.get(initializer)
            if not callable(initializer):
                raise TypeError(
                    f"`initializer` must be 'zeros', 'ones', a number or a callable "
                    f"`(shape, dtype) -> array`; got {initializer!r}."
                )
            value = np.asarray(value_of(initializer(shape, dtype=dtype.name)), dtype=dtype)
        return self._make_variable(value, name or "variable")

    def add_variable_from_reference(self, reference_variable, name=None, initializer="zeros"):
        """A variable shaped like `reference_variable`, named `<its path with _>_<name>`."""
        name = name or "var"
        if hasattr(reference_variable, "path"):
            prefix = reference_variable.path.replace("/", "_")
        else:
            prefix = str(reference_variable.name).replace("/", "_").replace(":", "_")
        return self.add_variable(
            shape=reference_variable.shape,
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=f"{prefix}_{name}",
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """Slots for each model variable.

        With a list of names, the slots are created interleaved per model variable
        (Keras's order: `kernel_momentum, kernel_velocity, bias_momentum, ...`) and
        one list per name is returned.
        """
        names = [name] if isinstance(name, str) else list(name)
        inits = initializer if isinstance(initializer, (list, tuple)) else [initializer] * len(names)
        if len(inits) != len(names):
            raise ValueError(
                f"Got {len(inits)} initializers for {len(names)} variable names; pass one per name."
            )
        result = tuple([] for _ in names)
        for variable in trainable_variables:
            overwrite = getattr(variable, "overwrite_with_gradient", False)
            for i, (slot_name, init) in enumerate(zip(names, inits)):
                result[i].append(
                    None if overwrite
                    else self.add_variable_from_reference(variable, name=slot_name, initializer=init)
                )
        for slots in result:
            self._slot_groups.append((list(trainable_variables), slots))
        return result[0] if isinstance(name, str) else result

    # Keras lets subclasses route writes through the optimizer.
    def assign(self, variable, value):
        variable.assign(value)

    def assign_add(self, variable, value):
        variable.assign_add(value)

    def assign_sub(self, variable, value):
        variable.assign_sub(value)

    def set_weights(self, weights):
        """Sets every optimizer variable, in `variables` order."""
        if not self.built:
            raise ValueError(
                "`set_weights()` needs a built optimizer: call "
                "`optimizer.build(trainable_variables)` first."
            )
        weights = [np.asarray(value_of(w)) for w in weights]
        for variable, weight in zip(self._variables, weights):
            if variable.shape != weight.shape:
                raise ValueError(
                    f"Optimizer variable {variable.path!r} has shape {variable.shape}, "
                    f"but the weight given for it has shape {weight.shape}."
                )
        for variable, weight in zip(self._variables, weights):
            variable.assign(weight)

    def save_own_variables(self, store):
        """Writes the state into `store` under keys '0', '1', ... (Keras's layout)."""
        for i, variable in enumerate(self.variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Reads state written by `save_own_variables` (or by real Keras)."""
        if len(store.keys()) != len(self.variables):
            message = (
                f"Skipping variable loading for optimizer '{self.name}', because it has "
                f"{len(self.variables)} variables whereas the saved optimizer has "
                f"{len(store.keys())} variables."
            )
            if not self.built:
                message += " This is likely because the optimizer has not been called/built yet."
            warnings.warn(message, stacklevel=2)
            return
        for i, variable in enumerate(self.variables):
            variable.assign(np.asarray(store[str(i)]).astype(variable.dtype, copy=False))
