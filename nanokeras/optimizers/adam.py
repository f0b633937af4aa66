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

    _packable_update = True  # elementwise: runs on all weights packed in one array

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

    def _compute_hyperparameters(self, f):
        return f(self.beta_1), f(self.beta_2), f(1 - self.beta_1), f(1 - self.beta_2), f(self.epsilon)

    def _alpha(self, learning_rate, f):
        """`lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)` in float type `f`."""
        beta_1, beta_2 = self._hyperparameters(f)[:2]
        t = f(self._step() + 1)
        one = f(1)
        return f(learning_rate) * np.sqrt(one - beta_2 ** t) / (one - beta_1 ** t)

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        if type(self).update_step is not Adam.update_step:  # a subclass customised the step
            return super()._backend_update_step(grads, trainable_variables, learning_rate)
        indices = self._trainable_variables_indices
        alphas = {}
        for g, v in zip(grads, trainable_variables):
            x = v.value
            f = x.dtype.type
            alpha = alphas.get(f)
            if alpha is None:
                alpha = alphas[f] = self._alpha(learning_rate, f)
            self._update_variable(indices[id(v)], g, x, alpha)

    def update_step(self, gradient, variable, learning_rate):
        x = variable.value
        alpha = self._alpha(learning_rate, x.dtype.type)
        self._update_variable(self._get_variable_index(variable), gradient, x, alpha)

    def _update_variable(self, i, gradient, x, alpha):
        _, _, one_minus_beta_1, one_minus_beta_2, epsilon = self._hyperparameters(x.dtype.type)
        m = self._momentums[i].value
        v = self._velocities[i].value
        a, b = self._buffers[i]
        np.subtract(gradient, m, out=a)
        np.multiply(a, one_minus_beta_1, out=a)
        np.add(m, a, out=m)
        np.square(gradient, out=a)
        np.subtract(a, v, out=a)
        np.multiply(a, one_minus_beta_2, out=a)
        np.add(v, a, out=v)
        if self.amsgrad:
            v_hat = self._velocity_hats[i].value
            np.maximum(v_hat, v, out=v_hat)
            v = v_hat
        np.multiply(m, alpha, out=a)
        np.sqrt(v, out=b)
        np.add(b, epsilon, out=b)
        np.divide(a, b, out=a)
        np.subtract(x, a, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        f = x.dtype.type
        _, _, one_minus_beta_1, one_minus_beta_2, epsilon = self._hyperparameters(f)
        alpha = self._alpha(learning_rate, f)
        m, v = self._momentums[i].value, self._velocities[i].value
        if self.amsgrad:
            kernels.adam_amsgrad(x, gradient, m, v, self._velocity_hats[i].value, one_minus_beta_1,
                                 one_minus_beta_2, alpha, epsilon)
        else:
            kernels.adam(x, gradient, m, v, one_minus_beta_1, one_minus_beta_2, alpha, epsilon)

    def get_config(self):
        config = super().get_config()
        config.update({
            "beta_1": self.beta_1,
            "beta_2": self.beta_2,
            "epsilon": self.epsilon,
            "amsgrad": self.amsgrad,
        })
        return config
