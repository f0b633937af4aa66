"""`Adamax`: Adam with the infinity norm in place of the second moment.

Example:
    >>> from nanokeras.optimizers import Adamax
    >>> Adamax().beta_2
    0.999
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class Adamax(Optimizer):
    """Adamax, updating as Keras 3 does::

        m += (g - m) * (1 - beta_1);  u = max(beta_2 * u, |g|)
        w -= lr * m / ((1 - beta_1**t) * (u + epsilon))

    Args:
        learning_rate: float or schedule, default 0.001.
        beta_1, beta_2: decay rates, defaults 0.9 and 0.999.
        epsilon: default 1e-7.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Adamax
        >>> Adamax(learning_rate=0.002).get_config()["beta_1"]
        0.9
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
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
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._m, self._u = self.add_optimizer_variables(var_list, ["momentum", "norm"])

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        beta_1_power = f(self.beta_1) ** f(self._step() + 1)
        a, b = self._buffers[i]
        m = self._m[i].value
        u = self._u[i].value
        np.subtract(gradient, m, out=a)
        np.multiply(a, f(1 - self.beta_1), out=a)
        np.add(m, a, out=m)
        np.multiply(u, f(self.beta_2), out=u)
        np.abs(gradient, out=a)
        np.maximum(u, a, out=u)
        np.multiply(m, learning_rate, out=a)
        np.add(u, f(self.epsilon), out=b)
        np.multiply(b, f(1) - beta_1_power, out=b)
        np.divide(a, b, out=a)
        np.subtract(x, a, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        f = x.dtype.type
        beta_1_power = f(self.beta_1) ** f(self._step() + 1)
        kernels.adamax(x, gradient, self._m[i].value, self._u[i].value, f(1 - self.beta_1), f(self.beta_2),
                       learning_rate[()], f(self.epsilon), f(1) - beta_1_power)

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
