"""`Lion`: sign-based momentum optimizer (Chen et al., 2023).

Example:
    >>> from nanokeras.optimizers import Lion
    >>> Lion().beta_2
    0.99
"""

import numpy as np

from nanokeras.optimizers import arguments
from nanokeras.optimizers.base_optimizer import Optimizer


class Lion(Optimizer):
    """Lion: `w -= lr * sign(beta_1 * m + (1 - beta_1) * g);  m = beta_2 * m + (1 - beta_2) * g`.

    Args:
        learning_rate: float or schedule, default 0.001.
        beta_1: in (0, 1], default 0.9.
        beta_2: default 0.99.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Lion
        >>> Lion(learning_rate=1e-4).get_config()["beta_1"]
        0.9
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99,
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
        arguments.check_unit_interval("beta_1", beta_1, low_open=True)
        self.beta_1 = beta_1
        self.beta_2 = beta_2

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums = self.add_optimizer_variables(var_list, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        one, beta_1, beta_2 = f(1), f(self.beta_1), f(self.beta_2)
        a, b = self._buffers[i]
        m = self._momentums[i].value
        np.multiply(m, beta_1, out=a)
        np.multiply(gradient, one - beta_1, out=b)
        np.add(a, b, out=a)
        np.sign(a, out=a)
        np.multiply(a, learning_rate, out=a)
        np.subtract(x, a, out=x)
        np.multiply(m, beta_2, out=m)
        np.multiply(gradient, one - beta_2, out=b)
        np.add(m, b, out=m)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        f = x.dtype.type
        one, beta_1, beta_2 = f(1), f(self.beta_1), f(self.beta_2)
        kernels.lion(x, gradient, self._momentums[i].value, learning_rate[()], beta_1, one - beta_1, beta_2,
                     one - beta_2, one, f(0))

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2})
        return config
