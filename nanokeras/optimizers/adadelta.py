"""`Adadelta`: step sizes from running averages of squared gradients and updates.

Example:
    >>> from nanokeras.optimizers import Adadelta
    >>> Adadelta().rho
    0.95
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class Adadelta(Optimizer):
    """Adadelta, updating as Keras 3 does::

        acc_g = rho * acc_g + (1 - rho) * g**2
        delta = -(sqrt(acc_dx + epsilon) * g / sqrt(acc_g + epsilon))
        acc_dx = rho * acc_dx + (1 - rho) * delta**2
        w += lr * delta

    Args:
        learning_rate: float or schedule, default 0.001.
        rho: decay rate, default 0.95.
        epsilon: default 1e-7.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Adadelta
        >>> Adadelta(learning_rate=1.0).get_config()["epsilon"]
        1e-07
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7,
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
        self.rho = rho
        self.epsilon = epsilon

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._accumulated_grads, self._accumulated_delta_vars = self.add_optimizer_variables(
            var_list, ["accumulated_grad", "accumulated_delta_var"]
        )

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        rho, one_minus_rho, eps = f(self.rho), f(1 - self.rho), f(self.epsilon)
        a, b = self._buffers[i]
        acc_g = self._accumulated_grads[i].value
        acc_dx = self._accumulated_delta_vars[i].value
        np.multiply(acc_g, rho, out=acc_g)
        np.square(gradient, out=a)
        np.multiply(a, one_minus_rho, out=a)
        np.add(acc_g, a, out=acc_g)
        # delta = -(rms(acc_dx) * g / rms(acc_g)), kept in a
        np.add(acc_dx, eps, out=a)
        np.sqrt(a, out=a)
        np.multiply(a, gradient, out=a)
        np.add(acc_g, eps, out=b)
        np.sqrt(b, out=b)
        np.divide(a, b, out=a)
        np.negative(a, out=a)
        np.multiply(acc_dx, rho, out=acc_dx)
        np.square(a, out=b)
        np.multiply(b, one_minus_rho, out=b)
        np.add(acc_dx, b, out=acc_dx)
        np.multiply(a, learning_rate, out=a)
        np.add(x, a, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        f = x.dtype.type
        kernels.adadelta(x, gradient, self._accumulated_grads[i].value, self._accumulated_delta_vars[i].value,
                         learning_rate[()], f(self.rho), f(1 - self.rho), f(self.epsilon))

    def get_config(self):
        config = super().get_config()
        config.update({"rho": self.rho, "epsilon": self.epsilon})
        return config
