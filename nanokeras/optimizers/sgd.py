"""`SGD`: gradient descent, optionally with (Nesterov) momentum.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras.optimizers import SGD
    >>> w = keras.Variable(np.array([1.0]), name="w")
    >>> _ = SGD(learning_rate=0.1).apply_gradients([(np.array([2.0], "float32"), w)])
    >>> round(float(w.numpy()[0]), 6)
    0.8
"""

import numpy as np

from nanokeras.optimizers import arguments
from nanokeras.optimizers.base_optimizer import Optimizer


class SGD(Optimizer):
    """Gradient descent: `w -= lr * g`; with momentum `m = momentum * m - lr * g; w += m`.

    With `nesterov=True`: `w += momentum * m - lr * g` (after updating `m`).

    Args:
        learning_rate: float or schedule, default 0.01.
        momentum: float in [0, 1], default 0 (no momentum slot is created).
        nesterov: use Nesterov momentum.
        **kwargs: the common arguments of `Optimizer` (clipnorm, weight_decay, ...).

    Example:
        >>> from nanokeras.optimizers import SGD
        >>> SGD(0.1, momentum=0.9, nesterov=True).get_config()["momentum"]
        0.9
    """

    _packable_update = True  # elementwise: runs on all weights packed in one array

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, use_ema=False,
                 ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm,
            clipvalue=clipvalue, global_clipnorm=global_clipnorm, use_ema=use_ema,
            ema_momentum=ema_momentum, ema_overwrite_frequency=ema_overwrite_frequency,
            loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        arguments.check_unit_interval("momentum", momentum)
        self.momentum = momentum
        self.nesterov = nesterov

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = []
        if self.momentum != 0:
            self.momentums = self.add_optimizer_variables(variables, "momentum")

    def _compute_hyperparameters(self, f):
        return f(self.momentum)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        if type(self).update_step is not SGD.update_step:  # a subclass customised the step
            return super()._backend_update_step(grads, trainable_variables, learning_rate)
        indices = self._trainable_variables_indices
        for g, v in zip(grads, trainable_variables):
            self._update_variable(indices[id(v)], g, v.value, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        self._update_variable(self._get_variable_index(variable), gradient, variable.value, learning_rate)

    def _update_variable(self, i, gradient, x, learning_rate):
        a, b = self._buffers[i]
        np.multiply(gradient, learning_rate, out=a)  # lr * g
        if not self.momentums:
            np.subtract(x, a, out=x)
            return
        m = self.momentums[i].value
        momentum = self._hyperparameters(x.dtype.type)
        np.multiply(m, momentum, out=m)
        np.subtract(m, a, out=m)
        if self.nesterov:
            np.multiply(m, momentum, out=b)
            np.subtract(b, a, out=b)
            np.add(x, b, out=x)
        else:
            np.add(x, m, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        lr = learning_rate[()]
        if not self.momentums:
            kernels.sgd(x, gradient, lr)
            return
        kernel = kernels.sgd_nesterov if self.nesterov else kernels.sgd_momentum
        kernel(x, gradient, self.momentums[i].value, lr, self._hyperparameters(x.dtype.type))

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum, "nesterov": self.nesterov})
        return config
