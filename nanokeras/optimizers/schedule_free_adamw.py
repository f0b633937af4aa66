"""`ScheduleFreeAdamW`: AdamW without a learning-rate schedule (Defazio et al., 2024).

The weights the model uses (`y`) interpolate between a fast sequence `z` (kept in the
`momentum` slot, moved by Adam-style steps) and its running average `x`, which
replaces the schedule: `x` averages every `z` so far with equal weights.

Example:
    >>> from nanokeras.optimizers import ScheduleFreeAdamW
    >>> ScheduleFreeAdamW().get_config()["learning_rate"]
    0.0024999999441206455
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class ScheduleFreeAdamW(Optimizer):
    """Schedule-free AdamW, updating as Keras 3 does::

        v += (g**2 - v) * (1 - beta_2)
        z_new = z - lr * g / (sqrt(v / (1 - beta_2**t)) + epsilon)     (lr ramps up over warmup_steps)
        x = (y - (1 - beta_1) * z) / beta_1;  x_new = (1 - 1/t) * x + z_new / t
        y = (1 - beta_1) * z_new + beta_1 * x_new

    Args:
        learning_rate: default 0.0025.
        beta_1: the interpolation between the average and the fast sequence (0.9).
        beta_2: decay of the second moment (0.999).
        epsilon: added to the denominator (1e-8).
        warmup_steps: steps over which the rate grows linearly from 0.
        **kwargs: the common arguments of `Optimizer` (`weight_decay` decays `y`).
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.0025, beta_1=0.9, beta_2=0.999, epsilon=1e-8, warmup_steps=0,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_1 = beta_1
        self.beta_2 = beta_2
        self.epsilon = epsilon
        self.warmup_steps = warmup_steps

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(var_list, ["momentum", "velocity"])
        for momentum, variable in zip(self._momentums, var_list):
            if momentum is not None:
                momentum.assign(variable.value)  # z starts at the weights

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        y = variable.value
        f = y.dtype.type
        one, beta_1, beta_2 = f(1), f(self.beta_1), f(self.beta_2)
        t = f(self._step() + 1)
        lr = f(learning_rate)
        if self.warmup_steps > 0:
            lr = lr * np.minimum(t / f(self.warmup_steps), one)
        z, v = self._momentums[i].value, self._velocities[i].value
        z_old = z.copy()
        v += (np.square(gradient) - v) * (one - beta_2)
        denominator = np.sqrt(v / (one - beta_2 ** t)) + f(self.epsilon)
        z -= lr * gradient / denominator
        weight = one / t
        x_old = (y - (one - beta_1) * z_old) / beta_1
        x_new = (one - weight) * x_old + weight * z
        y[...] = (one - beta_1) * z + beta_1 * x_new

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
                       "warmup_steps": self.warmup_steps})
        return config
