"""Keras masks: which time steps of a padded batch are real, attached to the tensors themselves.

A layer such as `Embedding(mask_zero=True)` marks its output with a boolean mask
(`True` where the step is real data, `False` where it is padding). Later layers
that support masking receive it as their `mask` argument and pass it on, as in
Keras, where the mask lives in the tensor's `_keras_mask` attribute. numpy
arrays take no attributes, so the masks live in a side table keyed by the
tensor's identity and dropped when the tensor is garbage collected.

Nothing here costs anything until the first mask is set (`masks_in_use()`).

Example:
    >>> import numpy as np
    >>> x = np.zeros((2, 3))
    >>> set_keras_mask(x, np.array([[True, True, False], [True, False, False]]))
    >>> int(get_keras_mask(x).sum())
    3
"""

import weakref

import numpy as np

# id(tensor) -> (weak reference to the tensor, its mask)
_masks = {}
_in_use = [False]


def masks_in_use():
    """True once any mask was set in this process (layers skip all mask work until then)."""
    return _in_use[0]


def note_masks_in_use():
    """Called by layers that create masks (e.g. `Embedding(mask_zero=True)`), when they are made."""
    _in_use[0] = True


def _forget(key):
    return lambda _reference: _masks.pop(key, None)


def set_keras_mask(x, mask):
    """Attaches `mask` to the tensor `x` (None removes it); objects without identity are skipped."""
    if hasattr(type(x), "_is_keras_tensor"):
        x._keras_mask = mask
        if mask is not None:
            _in_use[0] = True
        return
    key = id(x)
    if mask is None:
        _masks.pop(key, None)
        return
    try:
        reference = weakref.ref(x, _forget(key))
    except TypeError:  # a number or another object that cannot be referenced weakly
        return
    _in_use[0] = True
    _masks[key] = (reference, mask)


def get_keras_mask(x):
    """The mask attached to `x`, or None."""
    if hasattr(type(x), "_is_keras_tensor"):
        return getattr(x, "_keras_mask", None)
    if not _masks:
        return None
    entry = _masks.get(id(x))
    if entry is None or entry[0]() is not x:
        return None
    return entry[1]


class ArrayWithMask(np.ndarray):
    """An eager layer output that shows its mask as `_keras_mask`, as Keras's tensors do
    (`embedding(ids)._keras_mask`); in every other way a plain numpy array. Arrays computed
    from it have no mask, as in Keras.

    Example:
        >>> out = with_mask_attribute(np.zeros((1, 2)), np.array([[True, False]]))
        >>> out._keras_mask.tolist()
        [[True, False]]
    """

    def __repr__(self):
        return repr(self.view(np.ndarray))  # prints as the array it is

    @property
    def _keras_mask(self):
        return get_keras_mask(self)  # the side table stays the one record of masks

    @_keras_mask.setter
    def _keras_mask(self, mask):
        set_keras_mask(self, mask)


def with_mask_attribute(array, mask):
    """A view of `array` showing `mask` as its `_keras_mask`."""
    view = array.view(ArrayWithMask)
    set_keras_mask(view, mask)
    return view
