"""`Adagrad`: per-parameter learning rates scaled by accumulated squared gradients.

Example:
    >>> from nanokeras.optimizers import Adagrad
    >>> Adagrad().initial_accumulator_value
    0.1
"""

import numpy as np

from nanokeras.optimizers import arguments
from nanokeras.optimizers.base_optimizer import Optimizer


class Adagrad(Optimizer):
    """Adagrad: `acc += g**2;  w -= lr * g / sqrt(acc + epsilon)`.

    Args:
        learning_rate: float or schedule, default 0.001.
        initial_accumulator_value: starting value of the accumulators, default 0.1.
        epsilon: default 1e-7.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Adagrad
        >>> Adagrad(learning_rate=0.01).get_config()["epsilon"]
        1e-07
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None,
                 loss_scale_factor=None, gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        if not arguments._is_number(initial_accumulator_value):
            raise TypeError(
                "Argument `initial_accumulator_value` must be a number; received "
                f"initial_accumulator_value={initial_accumulator_value!r}."
            )
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators = self.add_optimizer_variables(
            var_list, "accumulator", initializer=float(self.initial_accumulator_value)
        )

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        a, b = self._buffers[i]
        acc = self._accumulators[i].value
        np.square(gradient, out=a)
        np.add(acc, a, out=acc)
        np.add(acc, x.dtype.type(self.epsilon), out=b)
        np.sqrt(b, out=b)
        np.multiply(gradient, learning_rate, out=a)
        np.divide(a, b, out=a)
        np.subtract(x, a, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        kernels.adagrad(x, gradient, self._accumulators[i].value, learning_rate[()], x.dtype.type(self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({
            "initial_accumulator_value": self.initial_accumulator_value,
            "epsilon": self.epsilon,
        })
        return config
