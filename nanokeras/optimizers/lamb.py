"""`Lamb`: layer-wise adaptive large-batch optimization (You et al., 2019).

Example:
    >>> from nanokeras.optimizers import Lamb
    >>> Lamb().get_config()["beta_2"]
    0.999
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class Lamb(Optimizer):
    """Adam's step, rescaled per weight by the trust ratio `||w|| / ||step||` (1 when either is 0)::

        m += (g - m) * (1 - beta_1);  v += (g**2 - v) * (1 - beta_2)
        step = (m / (1 - beta_1**t)) / (sqrt(v / (1 - beta_2**t)) + epsilon)
        w -= ratio * lr * step

    The ratio is a norm over each whole weight, so the update is computed weight by weight.

    Args:
        learning_rate: float or schedule, default 0.001.
        beta_1, beta_2: decay rates of the moments.
        epsilon: added to the denominator.
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False, ema_momentum=0.99,
                 ema_overwrite_frequency=None, loss_scale_factor=None, gradient_accumulation_steps=None, name=None,
                 **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        x = variable.value
        f = x.dtype.type
        one, beta_1, beta_2 = f(1), f(self.beta_1), f(self.beta_2)
        t = f(self._step() + 1)
        m, v = self._momentums[i].value, self._velocities[i].value
        m += (gradient - m) * f(1 - self.beta_1)
        v += (np.square(gradient) - v) * f(1 - self.beta_2)
        step = (m / (one - beta_1 ** t)) / (np.sqrt(v / (one - beta_2 ** t)) + f(self.epsilon))
        weight_norm = np.sqrt(np.sum(np.square(x)))
        step_norm = np.sqrt(np.sum(np.square(step)))
        ratio = weight_norm / step_norm if weight_norm > 0 and step_norm > 0 else one
        x -= f(ratio) * f(learning_rate) * step

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
