"""`Ftrl`: Follow The Regularized Leader (McMahan et al., 2013).

Example:
    >>> from nanokeras.optimizers import Ftrl
    >>> Ftrl().learning_rate_power
    -0.5
"""

import numpy as np

from nanokeras.optimizers import arguments
from nanokeras.optimizers.base_optimizer import Optimizer


class Ftrl(Optimizer):
    """FTRL-proximal with L1, L2 and L2-shrinkage regularization, as in Keras 3::

        g2 = g + 2 * l2_shrinkage * w;  n_new = n + g**2
        z += g2 - (n_new**-p - n**-p) / lr * w
        w = (clip(z, -l1, l1) - z) / (n_new**-p / lr + 2 * (l2 + beta / (2 * lr)));  n = n_new

    where `p = learning_rate_power`.

    Args:
        learning_rate: float or schedule, default 0.001.
        learning_rate_power: <= 0, default -0.5.
        initial_accumulator_value: >= 0, default 0.1.
        l1_regularization_strength, l2_regularization_strength,
        l2_shrinkage_regularization_strength: >= 0, default 0.
        beta: default 0.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Ftrl
        >>> Ftrl(l1_regularization_strength=0.01).get_config()["beta"]
        0.0
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5, initial_accumulator_value=0.1,
                 l1_regularization_strength=0.0, l2_regularization_strength=0.0,
                 l2_shrinkage_regularization_strength=0.0, beta=0.0,
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
        for arg, value in (("initial_accumulator_value", initial_accumulator_value),
                           ("l1_regularization_strength", l1_regularization_strength),
                           ("l2_regularization_strength", l2_regularization_strength),
                           ("l2_shrinkage_regularization_strength",
                            l2_shrinkage_regularization_strength)):
            if not arguments._is_number(value) or value < 0:
                raise ValueError(f"`{arg}` needs to be positive or zero. Received: {arg}={value!r}.")
        if not arguments._is_number(learning_rate_power) or learning_rate_power > 0:
            raise ValueError(
                "`learning_rate_power` needs to be negative or zero. "
                f"Received: learning_rate_power={learning_rate_power!r}."
            )
        self.learning_rate_power = learning_rate_power
        self.initial_accumulator_value = initial_accumulator_value
        self.l1_regularization_strength = l1_regularization_strength
        self.l2_regularization_strength = l2_regularization_strength
        self.l2_shrinkage_regularization_strength = l2_shrinkage_regularization_strength
        self.beta = beta

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulators, self._linears = self.add_optimizer_variables(
            var_list, ["accumulator", "linear"],
            initializer=[float(self.initial_accumulator_value), "zeros"],
        )

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        lr = f(learning_rate)
        power = f(-self.learning_rate_power)
        l2_reg = f(self.l2_regularization_strength) + f(self.beta) / (f(2.0) * lr)
        l1 = f(self.l1_regularization_strength)
        accum = self._accumulators[i].value
        linear = self._linears[i].value
        a, b = self._buffers[i]
        # new_accum kept in b; linear += grad_to_use - (new**p - old**p) / lr * w
        np.square(gradient, out=b)
        np.add(accum, b, out=b)
        np.power(b, power, out=a)
        np.subtract(a, np.power(accum, power), out=a)
        np.divide(a, lr, out=a)
        np.multiply(a, x, out=a)
        grad_to_use = gradient + f(2 * self.l2_shrinkage_regularization_strength) * x
        np.subtract(grad_to_use, a, out=a)
        np.add(linear, a, out=linear)
        quadratic = np.power(b, power) / lr + f(2) * l2_reg
        np.clip(linear, -l1, l1, out=a)
        np.subtract(a, linear, out=a)
        np.divide(a, quadratic, out=x)
        accum[...] = b

    def get_config(self):
        config = super().get_config()
        config.update({
            "learning_rate_power": self.learning_rate_power,
            "initial_accumulator_value": self.initial_accumulator_value,
            "l1_regularization_strength": self.l1_regularization_strength,
            "l2_regularization_strength": self.l2_regularization_strength,
            "l2_shrinkage_regularization_strength": self.l2_shrinkage_regularization_strength,
            "beta": self.beta,
        })
        return config
