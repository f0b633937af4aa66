"""`RMSprop`: divide the gradient by a running root-mean-square of recent gradients.

Example:
    >>> from nanokeras.optimizers import RMSprop
    >>> RMSprop(centered=True).get_config()["rho"]
    0.9
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class RMSprop(Optimizer):
    """RMSprop, updating as Keras 3 does::

        v = rho * v + (1 - rho) * g**2
        centered: a = rho * a + (1 - rho) * g;  denominator = v - a**2 + epsilon
        otherwise: denominator = v + epsilon
        increment = lr * g / sqrt(denominator)
        momentum > 0: mom = momentum * mom + increment;  w -= mom
        otherwise: w -= increment

    Args:
        learning_rate: float or schedule, default 0.001.
        rho: decay of the moving average of squared gradients, default 0.9.
        momentum: default 0 (no momentum slot).
        epsilon: default 1e-7.
        centered: normalize by the estimated variance instead of the second moment.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import RMSprop
        >>> RMSprop(learning_rate=0.01, momentum=0.9).momentum
        0.9
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
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
        self.momentum = momentum
        self.epsilon = epsilon
        self.centered = centered

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._velocities = self.add_optimizer_variables(var_list, "velocity")
        self._momentums = []
        if self.momentum > 0:
            self._momentums = self.add_optimizer_variables(var_list, "momentum")
        self._average_gradients = []
        if self.centered:
            self._average_gradients = self.add_optimizer_variables(var_list, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        rho, one_minus_rho = f(self.rho), f(1 - self.rho)
        a, b = self._buffers[i]
        v = self._velocities[i].value
        np.multiply(v, rho, out=v)
        np.square(gradient, out=a)
        np.multiply(a, one_minus_rho, out=a)
        np.add(v, a, out=v)
        if self.centered:
            avg = self._average_gradients[i].value
            np.multiply(avg, rho, out=avg)
            np.multiply(gradient, one_minus_rho, out=a)
            np.add(avg, a, out=avg)
            np.square(avg, out=b)
            np.subtract(v, b, out=b)
            np.add(b, f(self.epsilon), out=b)
        else:
            np.add(v, f(self.epsilon), out=b)
        np.sqrt(b, out=b)
        np.multiply(gradient, learning_rate, out=a)
        np.divide(a, b, out=a)
        if self.momentum > 0:
            mom = self._momentums[i].value
            np.multiply(mom, f(self.momentum), out=mom)
            np.add(mom, a, out=mom)
            np.subtract(x, mom, out=x)
        else:
            np.subtract(x, a, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        f = x.dtype.type
        lr, rho, one_minus_rho, epsilon = learning_rate[()], f(self.rho), f(1 - self.rho), f(self.epsilon)
        v = self._velocities[i].value
        if self.centered:
            avg = self._average_gradients[i].value
            if self.momentum > 0:
                kernels.rmsprop_centered_momentum(x, gradient, v, avg, self._momentums[i].value, lr, rho,
                                                  one_minus_rho, epsilon, f(self.momentum))
            else:
                kernels.rmsprop_centered(x, gradient, v, avg, lr, rho, one_minus_rho, epsilon)
        elif self.momentum > 0:
            kernels.rmsprop_momentum(x, gradient, v, self._momentums[i].value, lr, rho, one_minus_rho,
                                     epsilon, f(self.momentum))
        else:
            kernels.rmsprop(x, gradient, v, lr, rho, one_minus_rho, epsilon)

    def get_config(self):
        config = super().get_config()
        config.update({
            "rho": self.rho,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "centered": self.centered,
        })
        return config
