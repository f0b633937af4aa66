"""`keras.StatelessScope`: run code that assigns variables without changing them.

Inside the scope, `Variable.assign` / `assign_add` / `assign_sub` (and anything built
on them: optimizers, metrics, moving averages) seem to work as usual — later reads
inside the scope see the new values — but when the scope closes every variable it
touched is put back as it was, and the new values stay in the scope
(`scope.get_current_value(variable)`).

How: a variable's array is copied the first time the scope writes it (or when the
scope starts, for the variables of `state_mapping`, which are then given their
mapped values) and written back in place on exit. Reads cost nothing extra, in or out
of a scope; the array keeps its identity (packed optimizer buffers and compiled
training steps stay valid). A variable written in place without `assign` (an
optimizer's own kernels) is covered when it is in `state_mapping`, as `stateless_apply`
and `stateless_call` put all of theirs.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> v = keras.Variable(np.zeros(2, "float32"))
    >>> with keras.StatelessScope([(v, np.ones(2))]) as scope:
    ...     _ = v.assign_add(np.ones(2))
    ...     v.numpy().tolist()
    [2.0, 2.0]
    >>> v.numpy().tolist(), scope.get_current_value(v).tolist()
    ([0.0, 0.0], [2.0, 2.0])
"""

import numpy as np

from nanokeras.backend.state_scopes import stateless_slot
from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable


class StatelessScope:
    """A scope in which assignments to `keras.Variable`s are recorded, not applied.

    Args:
        state_mapping: a list of `(variable, value)` pairs: inside the scope each
            variable reads as its value (same shape; cast to the variable's dtype).
        collect_losses: whether `layer.add_loss(...)` inside the scope appends to
            `scope.losses` (otherwise such losses are dropped, as in Keras).
        initialize_variables: kept for Keras's signature: Keras defers initializing
            variables created inside the scope until it closes; nanokeras initializes a
            variable when it is created, so there is never anything left to initialize.
    """

    def __init__(self, state_mapping=None, collect_losses=False, initialize_variables=True):
        self.collect_losses = collect_losses
        self.initialize_variables = initialize_variables
        self.losses = []
        self.state_mapping = {}  # id(variable) -> its value in the scope (an array)
        self._variables = {}  # id(variable) -> variable (keeps the keys' objects alive)
        self._saved = None  # while open: id(variable) -> (variable, its array's contents before)
        if isinstance(state_mapping, dict):
            raise TypeError(
                "Argument `state_mapping` of StatelessScope must be a list of (variable, value) pairs, got a "
                "dict; pass `list(mapping.items())` (Keras keys the pairs by the variable objects)."
            )
        for item in state_mapping or ():
            if not (isinstance(item, (tuple, list)) and len(item) == 2):
                raise ValueError(
                    "Argument `state_mapping` of StatelessScope must be a list of (variable, value) pairs; "
                    f"got the item {item!r}."
                )
            variable, value = item
            if not isinstance(variable, Variable):
                raise ValueError(
                    "Invalid reference variable in StatelessScope: every key of argument `state_mapping` must "
                    f"be a keras.Variable, got {type(variable).__name__}: {variable!r}."
                )
            value = value_of(value)
            try:
                value = np.array(value, dtype=variable.value.dtype)
            except (TypeError, ValueError) as error:
                raise ValueError(
                    f"Invalid variable value in StatelessScope: the value for variable {variable.path!r} in "
                    f"argument `state_mapping` cannot be read as {variable.value.dtype}: {error}"
                ) from None
            if value.shape != variable.value.shape:
                raise ValueError(
                    f"Invalid variable value in StatelessScope: the value for variable {variable.path!r} in "
                    f"argument `state_mapping` has shape {value.shape}, but the variable has shape "
                    f"{variable.value.shape}."
                )
            self.state_mapping[id(variable)] = value
            self._variables[id(variable)] = variable

    def __enter__(self):
        self.original_scope = stateless_slot[0]
        self._saved = {}
        for key, variable in self._variables.items():
            self._save(variable)
            variable.value[...] = self.state_mapping[key]
        stateless_slot[0] = self
        return self

    def __exit__(self, *exc_info):
        stateless_slot[0] = self.original_scope
        saved, self._saved = self._saved, None
        for key, (variable, before) in saved.items():
            self.state_mapping[key] = np.array(variable.value)
            self._variables[key] = variable
            variable.value[...] = before
        return False

    def _save(self, variable):
        """Keeps a copy of `variable`'s contents, the first time the open scope touches it."""
        if id(variable) not in self._saved:
            self._saved[id(variable)] = (variable, np.array(variable.value))

    def add_loss(self, loss):
        """Appends a loss (what `layer.add_loss` does inside a collecting scope)."""
        self.losses.append(loss)

    def add_update(self, update):
        """Records `(variable, value)`: the variable reads as `value` until the scope closes."""
        variable, value = update
        if not isinstance(variable, Variable):
            raise ValueError(f"StatelessScope.add_update expects a (keras.Variable, value) pair, got {update!r}.")
        value = np.asarray(value_of(value), dtype=variable.value.dtype)
        if value.shape != variable.value.shape:
            raise ValueError(
                f"StatelessScope.add_update: the value for variable {variable.path!r} has shape {value.shape}, "
                f"but the variable has shape {variable.value.shape}."
            )
        if self._saved is None:  # not open: the value it will read as when the scope opens
            self.state_mapping[id(variable)] = np.array(value)
            self._variables[id(variable)] = variable
        else:
            self._save(variable)
            variable.value[...] = value

    def get_current_value(self, variable):
        """The variable's value in this scope (a numpy array), or None if the scope never set it."""
        if self._saved is not None and id(variable) in self._saved:
            return np.array(variable.value)
        return self.state_mapping.get(id(variable))
