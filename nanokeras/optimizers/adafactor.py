"""`Adafactor`: Adam-like steps with factored second moments (Shazeer & Stern, 2018).

For a matrix it keeps only row and column means of the squared gradients (`r`, `c`),
not a full second-moment array, so its memory is sub-linear in the weight size.

Example:
    >>> from nanokeras.optimizers import Adafactor
    >>> Adafactor().get_config()["beta_2_decay"]
    -0.8
"""

import numpy as np

from nanokeras.ops.variable import Variable
from nanokeras.optimizers.base_optimizer import Optimizer


def _rms(x):
    return np.sqrt(np.mean(np.square(x)))


class Adafactor(Optimizer):
    """Adafactor, updating as Keras 3 does::

        rho = min(lr, 1 / sqrt(t));  alpha = max(epsilon_2, rms(w)) * rho
        beta_2 = 1 - t ** beta_2_decay;  G = g**2 + epsilon_1
        matrices: r = beta_2 r + (1 - beta_2) mean(G, -1);  c = beta_2 c + (1 - beta_2) mean(G, -2)
                  v = (r / mean(r)) outer c
        others:   v = beta_2 v + (1 - beta_2) G
        u = g / sqrt(v);  w -= alpha * u / max(1, rms(u) / clip_threshold)

    Args:
        learning_rate: default 0.001 (with `relative_step`, capped at `1 / sqrt(t)`).
        beta_2_decay: the exponent of the second-moment decay schedule (-0.8).
        epsilon_1: added to the squared gradients (1e-30).
        epsilon_2: the smallest weight scale (0.001).
        clip_threshold: the largest RMS of an update (1.0).
        relative_step: cap a constant learning rate at `1 / sqrt(t)`.
        **kwargs: the common arguments of `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, beta_2_decay=-0.8, epsilon_1=1e-30, epsilon_2=1e-3, clip_threshold=1.0,
                 relative_step=True, weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.beta_2_decay = beta_2_decay
        self.epsilon_1 = epsilon_1
        self.epsilon_2 = epsilon_2
        self.clip_threshold = clip_threshold
        self.relative_step = relative_step

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self._r, self._c, self._v = [], [], []
        for variable in var_list:
            overwrite = getattr(variable, "overwrite_with_gradient", False)
            shape = tuple(variable.shape)
            if len(shape) < 2:
                # Unused placeholders, kept (and saved) as Keras keeps them: int32 zeros named like the weight.
                for slots in (self._r, self._c):
                    placeholder = Variable(np.zeros((), "int32"), dtype="int32", trainable=False, name=variable.name)
                    placeholder.path = f"{self.name}/{variable.name}"
                    self._track_variable(placeholder)
                    slots.append(placeholder)
            elif overwrite:
                self._r.append(None)
                self._c.append(None)
            else:
                dtype = variable.value.dtype
                self._r.append(self.add_variable(shape[:-1], dtype=dtype, name=variable.name))
                self._c.append(self.add_variable(shape[:-2] + shape[-1:], dtype=dtype, name=variable.name))
            self._v.append(None if overwrite else self.add_variable_from_reference(variable, name="velocity"))

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        x = variable.value
        f = x.dtype.type
        one = f(1)
        t = f(self._step() + 1)
        lr = f(learning_rate)
        if not callable(self._learning_rate) and self.relative_step:
            lr = np.minimum(lr, one / np.sqrt(t))
        rho = np.minimum(lr, one / np.sqrt(t))
        alpha = np.maximum(f(self.epsilon_2), _rms(x)) * rho
        squared = np.square(gradient) + f(self.epsilon_1)
        beta_2 = one - np.power(t, f(self.beta_2_decay))
        v = self._v[i].value
        if x.ndim >= 2:
            r, c = self._r[i].value, self._c[i].value
            r[...] = beta_2 * r + (one - beta_2) * np.mean(squared, axis=-1)
            c[...] = beta_2 * c + (one - beta_2) * np.mean(squared, axis=-2)
            v[...] = np.expand_dims(r / np.mean(r, axis=-1, keepdims=True), -1) * np.expand_dims(c, -2)
        else:
            v[...] = beta_2 * v + (one - beta_2) * squared
        update = gradient / np.sqrt(v)
        update = update / np.maximum(one, _rms(update) / f(self.clip_threshold))
        x -= alpha * update

    def get_config(self):
        config = super().get_config()
        config.update({"beta_2_decay": self.beta_2_decay, "epsilon_1": self.epsilon_1, "epsilon_2": self.epsilon_2,
                       "clip_threshold": self.clip_threshold, "relative_step": self.relative_step})
        return config
