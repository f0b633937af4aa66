"""LoRA (low-rank adaptation), as Keras's `Dense`, `EinsumDense`, `Embedding` and `Conv` layers have it.

`layer.enable_lora(rank)` freezes the layer's big weight `W` and adds two small trainable
ones, `a` (`W.shape[:-1] + (rank,)`) and `b` (`(rank, W.shape[-1])`); the layer then
computes with `W + (lora_alpha / rank) * (a @ b)`. `b` starts at zero, so the layer's
outputs do not change until training moves `a` and `b`. A saved file holds the merged
weight, as Keras's does, so a fine-tuned model loads anywhere as a plain layer.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> layer = keras.layers.Dense(4)
    >>> layer.build((None, 8))
    >>> layer.enable_lora(2)
    >>> [(w.name, w.shape, w.trainable) for w in layer.weights]
    [('kernel', (8, 4), False), ('bias', (4,), True), ('lora_kernel_a', (8, 2), True), ('lora_kernel_b', (2, 4), True)]
"""

import numbers

import numpy as np

from nanokeras import initializers
from nanokeras.ops import numpy as ops


def _check_alpha(owner, lora_alpha):
    if lora_alpha is not None and (isinstance(lora_alpha, bool) or not isinstance(lora_alpha, numbers.Real)
                                   or lora_alpha <= 0):
        raise ValueError(f"{owner}: `lora_alpha` must be a positive number or None, got lora_alpha={lora_alpha!r}.")


def _check_rank(owner, argument, value, allow_none):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{owner}: `{argument}` must be a positive integer{' or None' if allow_none else ''}, "
                         f"got {argument}={value!r}.")
    return int(value)


class LoraMixin:
    """`enable_lora` and the adapted weight, for a layer whose weight `_lora_base` LoRA adapts."""

    _lora_base = "kernel"  # the attribute holding the adapted weight
    _lora_names = ("lora_kernel_a", "lora_kernel_b")

    def _set_lora_arguments(self, lora_rank, lora_alpha):
        owner = type(self).__name__
        self.lora_rank = _check_rank(owner, "lora_rank", lora_rank, allow_none=True)
        _check_alpha(owner, lora_alpha)
        self.lora_alpha = lora_alpha if lora_alpha is not None else self.lora_rank
        self.lora_enabled = False

    def _build_lora(self):
        """Called at the end of `build`: a layer made with `lora_rank` gets its LoRA weights."""
        if self.lora_rank and not self.lora_enabled:
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def enable_lora(self, rank, lora_alpha=None, a_initializer="he_uniform", b_initializer="zeros"):
        """Freezes the layer's weight and adds the trainable low-rank pair `a`, `b` (see the module).

        Args:
            rank: the rank of the update `a @ b` (a positive int).
            lora_alpha: the update is scaled by `lora_alpha / rank`; defaults to `rank`.
            a_initializer, b_initializer: initializers of `a` and `b` ("he_uniform" and "zeros").
        """
        owner = f"{type(self).__name__} {self.name!r}"
        rank = _check_rank(owner, "rank", rank, allow_none=False)
        _check_alpha(owner, lora_alpha)
        if getattr(self, f"{self._lora_base}_constraint", None) is not None:
            raise ValueError(f"{owner}: LoRA cannot be used with a `{self._lora_base}_constraint`; remove the "
                             "constraint to enable LoRA.")
        if not self.built:
            raise ValueError(f"{owner}: cannot enable LoRA on a layer that is not built yet; build it first "
                             "(call it on data, or `layer.build(input_shape)`).")
        if self.lora_enabled:
            raise ValueError(f"{owner}: LoRA is already enabled; it can be enabled once per layer.")
        base = getattr(self, self._lora_base)
        regularizer = getattr(self, f"{self._lora_base}_regularizer", None)
        a_name, b_name = self._lora_names
        # float32, as Keras keeps them whatever the layer's dtype.
        a = self.add_weight(name=a_name, shape=tuple(base.shape[:-1]) + (rank,),
                            initializer=initializers.get(a_initializer), dtype="float32", regularizer=regularizer)
        b = self.add_weight(name=b_name, shape=(rank, base.shape[-1]), initializer=initializers.get(b_initializer),
                            dtype="float32", regularizer=regularizer)
        object.__setattr__(self, a_name, a)
        object.__setattr__(self, b_name, b)
        base.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def _lora_adapted(self, base):
        """`base + (lora_alpha / lora_rank) * (a @ b)` when LoRA is on (recorded ops: `a` and `b`
        get gradients), else `base` itself."""
        if not self.lora_enabled:
            return base
        a, b = (getattr(self, name) for name in self._lora_names)
        update = ops.multiply(ops.matmul(a, b), np.float32(self.lora_alpha / self.lora_rank))
        return ops.add(base, update)

    def _replay_blocker(self):
        """Why the compiled step cannot replay this layer (None when it can)."""
        if self.lora_enabled:
            return "LoRA is enabled on it"
        return super()._replay_blocker()

    def _merged_lora_weight(self):
        """The weight the layer computes with, as a numpy array (what a file stores)."""
        return np.asarray(self._lora_adapted(getattr(self, self._lora_base))).astype(
            getattr(self, self._lora_base).dtype, copy=False)

    def save_own_variables(self, store):
        """As Keras: the merged weight is saved in place of the frozen one; `a` and `b` are not."""
        super().save_own_variables(store)
        if getattr(self, "lora_enabled", False):
            base = getattr(self, self._lora_base)
            index = next(i for i, v in enumerate(self._saved_variables()) if v is base)
            store[str(index)] = self._merged_lora_weight()

    def load_own_variables(self, store):
        """As Keras: the stored (merged) weight goes into the frozen one, and `a`, `b` restart at zero."""
        super().load_own_variables(store)
        if getattr(self, "lora_enabled", False):
            for name in self._lora_names:
                variable = getattr(self, name)
                variable.assign(np.zeros(variable.shape, variable.dtype))

    load_own_variables._reads_saved_variables = True  # files validate it before assigning anything

    def _lora_config(self):
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} if self.lora_rank else {}
