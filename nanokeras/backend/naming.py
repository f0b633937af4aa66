"""Automatic, unique object names as Keras gives them: `dense`, `dense_1`, ...

The counters live for one session; `keras.backend.clear_session()` resets them.
"""

import collections
import re

_name_counts = collections.defaultdict(int)


def to_snake_case(name):
    """`'BatchNormalization'` -> `'batch_normalization'`."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(name):
    """Returns `name` the first time, then `name_1`, `name_2`, ..."""
    count = _name_counts[name]
    _name_counts[name] = count + 1
    return name if count == 0 else f"{name}_{count}"


def auto_name(class_name):
    """A fresh name for an object of class `class_name`."""
    return uniquify(to_snake_case(class_name))


def get_uid(prefix=""):
    """Counts calls per `prefix`: 1, 2, 3, ..."""
    _name_counts[prefix] += 1
    return _name_counts[prefix]


def reset_uids():
    _name_counts.clear()


_SCOPE_STACK = []


class name_scope:
    """A sub-namespace for variable paths: variables created inside get `"<scope>/<name>"`.

    Args:
        name: the scope's name (a string without `/`).
        caller: the object opening the scope; re-entering the innermost scope with the same
            caller and name adds nothing (with `deduplicate`).
        deduplicate: see `caller`.
        override_parent: an absolute path that replaces the enclosing scopes.

    Example:
        >>> import nanokeras as keras
        >>> with keras.name_scope("encoder"):
        ...     v = keras.Variable(1.0, name="scale")
        >>> v.path
        'encoder/scale'
    """

    def __init__(self, name, caller=None, deduplicate=True, override_parent=None):
        if not isinstance(name, str) or "/" in name:
            raise ValueError(f"Argument `name` must be a string and cannot contain character `/`. Received: name={name!r}")
        self.name = name
        self.caller = caller
        self.deduplicate = deduplicate
        # A caller that remembers where it first opened its scope (a layer) opens it there again.
        if override_parent is None and deduplicate and getattr(caller, "_parent_path", None) is not None:
            override_parent = caller._parent_path
        self.override_parent = override_parent
        self._pop_on_exit = False

    def __enter__(self):
        if self.deduplicate and _SCOPE_STACK:
            parent = _SCOPE_STACK[-1]
            if self.caller is not None and self.caller is parent.caller and self.name == parent.name:
                return self
        _SCOPE_STACK.append(self)
        self._pop_on_exit = True
        return self

    def __exit__(self, *exc):
        if self._pop_on_exit:
            _SCOPE_STACK.remove(self)
            self._pop_on_exit = False
        return False


def current_path():
    """The path of the open name scopes, `"outer/inner"` (`""` outside any)."""
    parts = []
    for scope in _SCOPE_STACK:
        if scope.override_parent is not None:
            parts = [p for p in scope.override_parent.split("/") if p]
        parts.append(scope.name)
    return "/".join(parts)
