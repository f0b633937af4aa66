"""`LossScaleOptimizer`: dynamic loss scaling around another optimizer.

Mixed-precision training multiplies the loss by a large "loss scale" so that small
float16 gradients do not round to zero, and divides the gradients by it again
before the update. nanokeras trains in float32 or float64, where the scale (a power
of 2) changes no number: the wrapped optimizer takes the same steps as without it.
The dynamic scale is still kept as Keras keeps it: a step with a non-finite gradient
is skipped and halves the scale; `dynamic_growth_steps` finite steps in a row double it.

Example:
    >>> import nanokeras as keras
    >>> opt = keras.optimizers.LossScaleOptimizer(keras.optimizers.SGD(0.1), initial_scale=8.0)
    >>> float(opt.scale_loss(2.0))
    16.0
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer
from nanokeras.utils.keyword_arguments import all_keywords, unknown_keywords_error

# Arguments of the base optimizer Keras still accepts (at their defaults) from older configs.
_BASE_DEFAULTS = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None, "clipvalue": None,
                  "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None,
                  "loss_scale_factor": None, "gradient_accumulation_steps": None}


class LossScaleOptimizer(Optimizer):
    """Wraps `inner_optimizer` with a dynamic loss scale.

    Args:
        inner_optimizer: the optimizer that updates the weights.
        initial_scale: the first loss scale (2**15).
        dynamic_growth_steps: finite steps after which the scale doubles (2000).

    `scale_loss(loss)` multiplies by the current scale (the training step differentiates
    the scaled loss); `apply(grads)` divides the gradients by it and hands them to
    `inner_optimizer`, or skips the step if any gradient is not finite.
    """

    def __init__(self, inner_optimizer, initial_scale=2.0 ** 15, dynamic_growth_steps=2000, name=None, **kwargs):
        if not kwargs.pop("dynamic", True):
            raise ValueError("LossScaleOptimizer no longer supports `dynamic=False`. Instead, simply set "
                             "`loss_scale_factor` directly on the `inner_optimizer`.")
        for argument, default in _BASE_DEFAULTS.items():
            if argument in kwargs and kwargs.pop(argument) != default:
                raise ValueError(f"LossScaleOptimizer does not support `{argument}`. Instead, set `{argument}` on "
                                 "the `inner_optimizer`.")
        if kwargs:
            raise unknown_keywords_error(LossScaleOptimizer, kwargs, all_keywords(LossScaleOptimizer))
        if not isinstance(inner_optimizer, Optimizer):
            raise TypeError(f"LossScaleOptimizer: `inner_optimizer` must be an Optimizer, got {inner_optimizer!r}.")
        super().__init__(learning_rate=0.0, name=name)
        self.inner_optimizer = inner_optimizer
        self.initial_scale = initial_scale
        self.dynamic_growth_steps = dynamic_growth_steps
        # The inner optimizer must not scale again.
        self.inner_optimizer.loss_scale_factor = None

    def build(self, var_list):
        if self.built:
            return
        self.step_counter = self.add_variable((), "zeros", dtype="int32", name="step_counter")
        self.dynamic_scale = self.add_variable((), self.initial_scale, dtype="float32", name="dynamic_scale")
        self.inner_optimizer.build(var_list)
        self.built = True
        self._pack_pending = True

    def _pack_variables(self):
        # (A compiled training step packs the weights before recording: the inner optimizer's.)
        self._pack_pending = False
        if self.inner_optimizer._pack_pending:
            self.inner_optimizer._pack_variables()

    @property
    def variables(self):
        return self._variables[:] + self.inner_optimizer.variables

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        if not self.built:
            self.build(trainable_variables if trainable_variables is not None else [])
        present = [np.asarray(g) for g in grads if g is not None]
        if all(np.all(np.isfinite(g)) for g in present):
            scale = self.dynamic_scale.value
            unscaled = [None if g is None else np.asarray(g) / scale.astype(np.asarray(g).dtype) for g in grads]
            self.inner_optimizer.apply(unscaled, trainable_variables)
            if int(self.step_counter.value) == self.dynamic_growth_steps - 1:
                self.step_counter.value[...] = 0
                self.dynamic_scale.value[...] = scale * np.float32(2.0)
            else:
                self.step_counter.value[...] += 1
        else:
            self.step_counter.value[...] = 0
            self.dynamic_scale.value[...] = self.dynamic_scale.value * np.float32(0.5)

    def check_finite(self, grads):
        """True when every gradient (None ones skipped) is finite."""
        return all(np.all(np.isfinite(np.asarray(g))) for g in grads if g is not None)

    @property
    def learning_rate(self):
        return self.inner_optimizer.learning_rate

    @learning_rate.setter
    def learning_rate(self, value):
        if "inner_optimizer" in self.__dict__:
            self.inner_optimizer.learning_rate = value

    @property
    def iterations(self):
        return self.inner_optimizer.iterations

    def scale_loss(self, loss):
        """`loss` times the current scale (the initial one before the optimizer is built)."""
        from nanokeras.ops import numpy as ops

        return ops.multiply(loss, self.dynamic_scale if self.built else np.float32(self.initial_scale))

    def finalize_variable_values(self, var_list):
        self.inner_optimizer.finalize_variable_values(var_list)

    def get_config(self):
        from nanokeras.saving.serialization_lib import serialize_keras_object

        return {"name": self.name, "inner_optimizer": serialize_keras_object(self.inner_optimizer),
                "initial_scale": self.initial_scale, "dynamic_growth_steps": self.dynamic_growth_steps}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from nanokeras.saving.serialization_lib import deserialize_keras_object

        config = dict(config)
        inner = deserialize_keras_object(config.pop("inner_optimizer"), custom_objects=custom_objects)
        return cls(inner, **config)
