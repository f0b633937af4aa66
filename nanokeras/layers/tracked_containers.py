"""The lists and dicts a user's layer keeps as attributes, watched as Keras watches them.

Keras models are often written with an empty list filled afterwards:

    self.blocks = []
    for _ in range(3):
        self.blocks.append(keras.layers.Dense(8))

The layers only reach the list after the attribute was set, so looking at the value once,
in `__setattr__`, would miss them: the model would have no weights and `fit` would train
nothing. As in Keras, the attribute therefore holds a copy of the list (or dict) that tells
its layer about every layer, variable or metric put into it later, at any depth, and about
those taken out. Tuples are copied with their nested lists and dicts watched the same way.

Example (any owner with `_track_contained` works; a `Layer` is the one that matters):
    >>> class Owner:
    ...     def __init__(self):
    ...         self.seen = []
    ...     def _track_contained(self, value):
    ...         self.seen.append(value)
    >>> owner = Owner()
    >>> blocks = track(owner, [])
    >>> blocks.append("a layer")
    >>> blocks.extend([["nested"]])
    >>> owner.seen, type(blocks[1]).__name__
    (['a layer', 'nested'], 'TrackedList')
"""


def track(owner, value):
    """Tells `owner` about `value` and everything inside it; returns what the attribute or the
    container holds instead: lists and dicts become watched copies, tuples copies of
    their watched items."""
    if isinstance(value, (TrackedList, TrackedDict)) and value._owner is owner:
        return value
    if isinstance(value, list):
        return TrackedList(value, owner)
    if isinstance(value, dict):
        return TrackedDict(value, owner)
    if isinstance(value, tuple):
        items = [track(owner, item) for item in value]
        return type(value)(*items) if hasattr(type(value), "_fields") else type(value)(items)
    owner._track_contained(value)
    return value


def untrack(owner, value):
    if owner is not None and not isinstance(value, (list, tuple, dict)):
        owner._untrack_contained(value)


class TrackedList(list):
    """A list attribute of a layer: items added later still belong to the layer."""

    def __init__(self, values=(), owner=None):
        self._owner = owner
        super().__init__(track(owner, v) for v in values) if owner is not None else super().__init__(values)

    def _track(self, value):
        # `getattr`: pickle and `copy` refill a list before they restore its attributes.
        owner = getattr(self, "_owner", None)
        return value if owner is None else track(owner, value)

    def append(self, value):
        super().append(self._track(value))

    def insert(self, index, value):
        super().insert(index, self._track(value))

    def extend(self, values):
        super().extend([self._track(v) for v in values])

    def __iadd__(self, values):
        self.extend(values)
        return self

    def __setitem__(self, index, value):
        if isinstance(index, slice):
            value = [self._track(v) for v in value]
        else:
            value = self._track(value)
        super().__setitem__(index, value)

    def remove(self, value):
        index = next((i for i, item in enumerate(self) if item is value), None)
        if index is None:
            index = self.index(value)
        del self[index]

    def pop(self, index=-1):
        value = super().pop(index)
        untrack(getattr(self, "_owner", None), value)
        return value

    def clear(self):
        while self:
            self.pop()

    def __delitem__(self, index):
        removed = self[index] if isinstance(index, slice) else [self[index]]
        super().__delitem__(index)
        for value in removed:
            untrack(getattr(self, "_owner", None), value)


class TrackedDict(dict):
    """A dict attribute of a layer: values added later still belong to the layer."""

    def __init__(self, values=(), owner=None):
        self._owner = owner
        values = dict(values)
        super().__init__({k: track(owner, v) for k, v in values.items()} if owner is not None else values)

    def _track(self, value):
        owner = getattr(self, "_owner", None)
        return value if owner is None else track(owner, value)

    def __setitem__(self, key, value):
        super().__setitem__(key, self._track(value))

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def update(self, *args, **kwargs):
        for key, value in dict(*args, **kwargs).items():
            self[key] = value

    def __ior__(self, other):
        self.update(other)
        return self

    def pop(self, key, *default):
        missing = key not in self
        value = super().pop(key, *default)
        if not missing:
            untrack(getattr(self, "_owner", None), value)
        return value

    def popitem(self):
        key, value = super().popitem()
        untrack(getattr(self, "_owner", None), value)
        return key, value

    def clear(self):
        while self:
            self.popitem()

    def __delitem__(self, key):
        value = self[key]
        super().__delitem__(key)
        untrack(getattr(self, "_owner", None), value)
