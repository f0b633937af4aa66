"""`Adam`: adaptive moment estimation (Kingma & Ba, 2014), with optional AMSGrad.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras.optimizers import Adam
    >>> w = keras.Variable(np.array([1.0]), name="w")
    >>> _ = Adam(learning_rate=0.1).apply_gradients([(np.array([5.0], "float32"), w)])
    >>> round(float(w.numpy()[0]), 4)   # the first step moves by ~lr
    0.9
"""

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class Adam(Optimizer):
    """Adam, updating as Keras 3 does (float32, same order of operations)::

        m += (g - m) * (1 - beta_1);  v += (g**2 - v) * (1 - beta_2)
        alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)
        w -= m * alpha / (sqrt(v) + epsilon)      # v -> max(v_hat, v) with amsgrad

    Args:
        learning_rate: float or schedule, default 0.001.
        beta_1, beta_2: decay rates of the first and second moments.
        epsilon: added to the denominator, default 1e-7.
        amsgrad: use the running maximum of `v` (AMSGrad).
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Adam
        >>> Adam(amsgrad=True).get_config()["amsgrad"]
        True
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
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
        self.amsgrad = amsgrad

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        if self.amsgrad:
            self._velocity_hats = self.add_optimizer_variables(var_list, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        t = f(self._step() + 1)
        one = f(1)
        alpha = f(learning_rate) * np.sqrt(one - f(self.beta_2) ** t) / (one - f(self.beta_1) ** t)
        m = self._momentums[i].value
        v = self._velocities[i].value
        a, b = self._buffers[i]
        np.subtract(gradient, m, out=a)
        np.multiply(a, f(1 - self.beta_1), out=a)
        np.add(m, a, out=m)
        np.square(gradient, out=a)
        np.subtract(a, v, out=a)
        np.multiply(a, f(1 - self.beta_2), out=a)
        np.add(v, a, out=v)
        if self.amsgrad:
            v_hat = self._velocity_hats[i].value
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.multiply(m, alpha, out=a)
        np.sqrt(v, out=b)
        np.add(b, f(self.epsilon), out=b)
        np.divide(a, b, out=a)
        np.subtract(x, a, out=x)

    def get_config(self):
        config = super().get_config()
        config.update({
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        })
        return config
