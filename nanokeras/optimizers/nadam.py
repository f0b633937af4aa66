"""`Nadam`: Adam with Nesterov momentum (Dozat, 2015).

Example:
    >>> from nanokeras.optimizers import Nadam
    >>> Nadam().beta_1
    0.9
"""

import numpy as np

from nanokeras.backend import config
from nanokeras.ops.variable import Variable
from nanokeras.optimizers.base_optimizer import Optimizer


class Nadam(Optimizer):
    """Nadam, updating as Keras 3 does::

        u_t = beta_1 * (1 - 0.5 * 0.96**t);  u_product *= u_t  (once per step)
        m += (g - m) * (1 - beta_1);  v += (g**2 - v) * (1 - beta_2)
        m_hat = u_{t+1} * m / (1 - u_product * u_{t+1}) + (1 - u_t) * g / (1 - u_product)
        w -= m_hat * lr / (sqrt(v / (1 - beta_2**t)) + epsilon)

    Besides its slots it keeps `u_product` as its last variable, as Keras does.

    Args:
        learning_rate: float or schedule, default 0.001.
        beta_1, beta_2: decay rates, defaults 0.9 and 0.999.
        epsilon: default 1e-7.
        **kwargs: the common arguments of `Optimizer`.

    Example:
        >>> from nanokeras.optimizers import Nadam
        >>> Nadam(learning_rate=0.002).get_config()["beta_2"]
        0.999
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
        var_list = list(var_list)
        dtype = var_list[0].dtype if var_list else np.dtype(config.floatx())
        super().build(var_list)
        self._momentums, self._velocities = self.add_optimizer_variables(
            var_list, ["momentum", "velocity"]
        )
        u_product = Variable(np.ones((), dtype=dtype), trainable=False)
        u_product.path = f"{self.name}/variable"  # Keras gives it no better name
        self._u_product = u_product

    def _next_u_product(self):
        """`u_product * u_t` for this step, in `u_product`'s float type (not stored yet)."""
        u = self._u_product.value
        f = u.dtype.type
        decay_power = f(0.96) ** f(self._step() + 1)
        return f(u * f(self.beta_1) * (f(1) - f(0.5) * decay_power))

    def _recompute_u_product(self):
        """Sets `u_product` from `iterations`, one step at a time as training does: Keras 2 `.h5`
        files (tf-keras) store Nadam's slots and step count but not this product."""
        u = self._u_product.value
        f = u.dtype.type
        product = f(1)
        for step in range(int(self.iterations.value)):
            product = f(product * f(self.beta_1) * (f(1) - f(0.5) * f(0.96) ** f(step + 1)))
        u[...] = product

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        self._u_product.value[...] = self._next_u_product()
        super()._backend_update_step(grads, trainable_variables, learning_rate)

    def _scalars(self, f, u_product_t):
        """`(u_t, u_t_1, u_product_t_1, beta_2_power)` in float type `f`, `u_product` already updated."""
        one = f(1)
        step = self._step()
        beta_1, decay = f(self.beta_1), f(0.96)
        u_t = beta_1 * (one - f(0.5) * decay ** f(step + 1))
        u_t_1 = beta_1 * (one - f(0.5) * decay ** f(step + 2))
        u_product_t_1 = u_product_t * u_t_1
        beta_2_power = f(self.beta_2) ** f(step + 1)
        return u_t, u_t_1, u_product_t_1, beta_2_power

    def update_step(self, gradient, variable, learning_rate):
        i = self._trainable_variables_indices[id(variable)]
        x = variable.value
        f = x.dtype.type
        one, beta_1, beta_2 = f(1), f(self.beta_1), f(self.beta_2)
        u_product_t = f(self._u_product.value)
        u_t, u_t_1, u_product_t_1, beta_2_power = self._scalars(f, u_product_t)
        a, b = self._buffers[i]
        m = self._momentums[i].value
        v = self._velocities[i].value
        np.subtract(gradient, m, out=a)
        np.multiply(a, one - beta_1, out=a)
        np.add(m, a, out=m)
        np.square(gradient, out=a)
        np.subtract(a, v, out=a)
        np.multiply(a, one - beta_2, out=a)
        np.add(v, a, out=v)
        # m_hat into a
        np.multiply(m, u_t_1, out=a)
        np.divide(a, one - u_product_t_1, out=a)
        np.multiply(gradient, one - u_t, out=b)
        np.divide(b, one - u_product_t, out=b)
        np.add(a, b, out=a)
        np.multiply(a, learning_rate, out=a)
        # sqrt(v_hat) + epsilon into b
        np.divide(v, one - beta_2_power, out=b)
        np.sqrt(b, out=b)
        np.add(b, f(self.epsilon), out=b)
        np.divide(a, b, out=a)
        np.subtract(x, a, out=x)

    def _fused_update(self, kernels, i, gradient, x, learning_rate):
        u_product = self._next_u_product()  # stored only once the kernel ran (a failed compile changes nothing)
        f = x.dtype.type
        one, beta_1, beta_2 = f(1), f(self.beta_1), f(self.beta_2)
        u_product_t = f(u_product)
        u_t, u_t_1, u_product_t_1, beta_2_power = self._scalars(f, u_product_t)
        kernels.nadam(x, gradient, self._momentums[i].value, self._velocities[i].value, one - beta_1,
                      one - beta_2, u_t_1, one - u_product_t_1, one - u_t, one - u_product_t, learning_rate[()],
                      one - beta_2_power, f(self.epsilon))
        self._u_product.value[...] = u_product

    def get_config(self):
        config = super().get_config()
        config.update({"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon})
        return config
