"""`OwnWeights`: the list of a layer's own weights, remembering how each was listed.

Keras keeps a layer's weights in two lists, trainable and non-trainable, chosen when
each weight is created; freezing a weight later (as `enable_lora` freezes the kernel)
does not move it. `layer.weights`, `get_weights()` and saved files follow that order,
so `set_weights` and files line up with Keras's.

Example:
    >>> from nanokeras.ops.variable import Variable
    >>> kernel, count = Variable([1.0], name="kernel"), Variable([0.0], trainable=False, name="count")
    >>> own = OwnWeights()
    >>> own.extend([count, kernel])
    >>> kernel.trainable = False
    >>> [v.name for v in own.in_keras_order()]
    ['kernel', 'count']
"""


class OwnWeights(list):
    """A list of Variables that notes, for each, whether it was trainable when added."""

    __slots__ = ("_listed_trainable",)

    def __init__(self):
        super().__init__()
        self._listed_trainable = {}

    def append(self, variable):
        self._listed_trainable.setdefault(id(variable), bool(variable.trainable))
        super().append(variable)

    def extend(self, variables):
        for variable in variables:
            self.append(variable)

    def set_trainable(self, value):
        """Sets `trainable` of the weights that were trainable when added (a layer's freezing)."""
        for variable in self:
            if self._listed_trainable.get(id(variable), variable.trainable):
                variable.trainable = value

    def __reduce_ex__(self, protocol):
        # `pickle` refills a list subclass before it restores its slots: rebuild from pairs instead
        # (`copy.deepcopy` maps each weight to its copy, so the marks follow the copies).
        return (_rebuilt, ([(v, self._listed_trainable.get(id(v), v.trainable)) for v in self],))

    def in_keras_order(self):
        """The weights listed trainable first, then the others, each group in order of addition."""
        listed = self._listed_trainable
        first = [v for v in self if listed.get(id(v), v.trainable)]
        return first + [v for v in self if not listed.get(id(v), v.trainable)]


def _rebuilt(pairs):
    own = OwnWeights()
    for variable, listed_trainable in pairs:
        own._listed_trainable[id(variable)] = listed_trainable
        list.append(own, variable)
    return own
