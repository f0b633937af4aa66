"""Which state scope is open: Keras's `StatelessScope` and `SymbolicScope`.

This module holds only the two "current scope" slots and `SymbolicScope`; the
`StatelessScope` class (it knows `Variable`) lives in `nanokeras/ops/stateless_scope.py`.
`Variable.assign` checks `stateless_slot[0]` (one list lookup: nothing else is paid
outside a scope, and reading a variable pays nothing at all).

Example:
    >>> import nanokeras as keras
    >>> from nanokeras.backend import state_scopes
    >>> with keras.SymbolicScope():
    ...     state_scopes.in_symbolic_scope()
    True
    >>> state_scopes.in_symbolic_scope()
    False
"""

# [the innermost open StatelessScope, or None]
stateless_slot = [None]
# [the innermost open SymbolicScope, or None]
symbolic_slot = [None]


def in_stateless_scope():
    """True inside a `keras.StatelessScope`."""
    return stateless_slot[0] is not None


def get_stateless_scope():
    """The innermost open `keras.StatelessScope`, or None."""
    return stateless_slot[0]


def in_symbolic_scope():
    """True inside a `keras.SymbolicScope` (while output shapes are being inferred)."""
    return symbolic_slot[0] is not None


def get_symbolic_scope():
    """The innermost open `keras.SymbolicScope`, or None."""
    return symbolic_slot[0]


class SymbolicScope:
    """Marks the code inside it as the symbolic stage (tracing shapes, not computing results).

    nanokeras opens one while it runs a layer on placeholder zeros to find its output
    shape (a functional model's construction), as Keras does; code can ask
    `in_symbolic_scope()` to skip work that only matters for real values.

    Example:
        >>> import nanokeras as keras
        >>> with keras.SymbolicScope() as scope:
        ...     pass
    """

    def __enter__(self):
        self.original_scope = symbolic_slot[0]
        symbolic_slot[0] = self
        return self

    def __exit__(self, *exc_info):
        symbolic_slot[0] = self.original_scope
        return False
