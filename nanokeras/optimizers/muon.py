"""`Muon`: momentum orthogonalized by Newton-Schulz iterations, for 2-D weights (Jordan et al., 2024).

Matrices get the momentum step made (nearly) orthogonal: a few Newton-Schulz
iterations push all its singular values towards 1. Other weights (biases,
embeddings, weights of layers named in `exclude_layers`, anything not 2-D) get AdamW
steps instead.

Example:
    >>> from nanokeras.optimizers import Muon
    >>> Muon().get_config()["ns_steps"]
    5
"""

import re

import numpy as np

from nanokeras.optimizers.base_optimizer import Optimizer


class Muon(Optimizer):
    """Muon for matrices, AdamW for the rest, as Keras 3 computes them::

        matrices: m = momentum * m + g;  G = g + momentum * m (nesterov) or m
                  w -= lr * NS(G) * sqrt(max(rows, cols)) * rms_rate
        others:   AdamW with `lr * adam_lr_ratio`, betas `adam_beta_1/2`, decay `adam_weight_decay`

    `NS` runs `ns_steps` iterations of `X = a X + (b A + c A A) X`, `A = X X^T`, on
    `G / ||G||` (transposed when it has more rows than columns).

    Args:
        learning_rate: default 0.001.
        adam_beta_1, adam_beta_2, adam_weight_decay, epsilon: for the AdamW weights.
        weight_decay: decoupled weight decay of the Muon weights (0.004).
        exclude_layers: regular expressions: weights whose path matches one use AdamW.
        exclude_embeddings: weights whose path contains "embedding" use AdamW.
        muon_a, muon_b, muon_c: the Newton-Schulz coefficients.
        adam_lr_ratio: the AdamW weights' learning rate relative to `learning_rate`.
        momentum: the momentum of the Muon weights (0.95).
        ns_steps: Newton-Schulz iterations (5).
        nesterov: use Nesterov momentum.
        rms_rate: scales the update to match AdamW's RMS (None: no scaling).
        **kwargs: the other common arguments of `Optimizer`.
    """

    def __init__(self, learning_rate=0.001, adam_beta_1=0.9, adam_beta_2=0.999, adam_weight_decay=0.004,
                 epsilon=1e-7, weight_decay=0.004, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 use_ema=False, ema_momentum=0.99, ema_overwrite_frequency=None, loss_scale_factor=None,
                 gradient_accumulation_steps=None, name=None, exclude_layers=None, exclude_embeddings=True,
                 muon_a=3.4445, muon_b=-4.775, muon_c=2.0315, adam_lr_ratio=1, momentum=0.95, ns_steps=5,
                 nesterov=True, rms_rate=0.2, **kwargs):
        super().__init__(
            learning_rate=learning_rate, weight_decay=weight_decay, clipnorm=clipnorm, clipvalue=clipvalue,
            global_clipnorm=global_clipnorm, use_ema=use_ema, ema_momentum=ema_momentum,
            ema_overwrite_frequency=ema_overwrite_frequency, loss_scale_factor=loss_scale_factor,
            gradient_accumulation_steps=gradient_accumulation_steps, name=name, **kwargs,
        )
        self.adam_beta_1 = adam_beta_1
        self.adam_beta_2 = adam_beta_2
        self.epsilon = epsilon
        self.muon_a = muon_a
        self.muon_b = muon_b
        self.muon_c = muon_c
        self.adam_lr_ratio = adam_lr_ratio
        self.momentum = momentum
        self.ns_steps = ns_steps
        self.nesterov = nesterov
        self.exclude_embeddings = exclude_embeddings
        self.exclude_layers = exclude_layers or []
        self.adam_weight_decay = adam_weight_decay
        self.rms_rate = rms_rate

    def _should_use_adamw(self, variable):
        if len(variable.shape) != 2:
            return True
        path = getattr(variable, "path", variable.name)
        if self.exclude_embeddings and "embedding" in path.lower():
            return True
        return any(re.search(keyword, path) for keyword in self.exclude_layers)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.momentums = [None] * len(var_list)
        self.adam_velocities = [None] * len(var_list)
        for variable in var_list:
            if getattr(variable, "overwrite_with_gradient", False):
                continue
            i = self._get_variable_index(variable)
            self.momentums[i] = self.add_variable_from_reference(variable, name="momentum")
            if self._should_use_adamw(variable):
                self.adam_velocities[i] = self.add_variable_from_reference(variable, name="velocity")

    def update_step(self, gradient, variable, learning_rate):
        i = self._get_variable_index(variable)
        m, v = self.momentums[i], self.adam_velocities[i]
        f = variable.value.dtype.type
        if v is not None:
            self._adamw_update_step(gradient, variable, f(learning_rate) * f(self.adam_lr_ratio), m.value, v.value)
        else:
            self._muon_update_step(gradient, variable, f(learning_rate), m.value)

    def _muon_update_step(self, gradient, variable, lr, m):
        f = m.dtype.type
        m += gradient + m * f(self.momentum - 1)
        g = gradient + f(self.momentum) * m if self.nesterov else m
        update = self.zeropower_via_newtonschulz5(g, self.ns_steps)
        variable.value[...] -= self.lr_adjust(lr * update)

    def _adamw_update_step(self, gradient, variable, lr, m, v):
        x = variable.value
        f = x.dtype.type
        one, t = f(1), f(self._step() + 1)
        alpha = lr * np.sqrt(one - f(self.adam_beta_2) ** t) / (one - f(self.adam_beta_1) ** t)
        m += (gradient - m) * f(1 - self.adam_beta_1)
        v += (np.square(gradient) - v) * f(1 - self.adam_beta_2)
        x -= m * alpha / (np.sqrt(v) + f(self.epsilon))

    @staticmethod
    def transpose_last_axis(x):
        """`x` with its last two axes swapped."""
        return np.swapaxes(x, -1, -2)

    def lr_adjust(self, x):
        """Scales an update by `sqrt(max(rows, cols)) * rms_rate` (unchanged when `rms_rate` is None)."""
        if self.rms_rate is None:
            return x
        f = x.dtype.type
        return x * np.sqrt(f(max(x.shape[0], x.shape[1]))) * f(self.rms_rate)

    def zeropower_via_newtonschulz5(self, x, steps):
        """An approximately orthogonal matrix with `x`'s singular vectors (Newton-Schulz iterations)."""
        if x.ndim < 2:
            raise ValueError(f"Expected gradient or momentum to have at least 2 dimensions. Received: shape={x.shape}")
        f = x.dtype.type
        a, b, c = f(self.muon_a), f(self.muon_b), f(self.muon_c)
        tall = x.shape[-2] > x.shape[-1]
        if tall:
            x = self.transpose_last_axis(x)
        x = x / (np.sqrt(np.sum(np.square(x), axis=(-2, -1), keepdims=True)) + f(1e-7))
        for _ in range(steps):
            gram = x @ self.transpose_last_axis(x)
            x = a * x + (b * gram + c * gram @ gram) @ x
        return self.transpose_last_axis(x) if tall else x

    def _apply_weight_decay(self, variables, learning_rate, kernels=None):  # per-variable decays: numpy
        for variable in variables:
            if not self._use_weight_decay(variable):
                continue
            decay = self.adam_weight_decay if self._should_use_adamw(variable) else self.weight_decay
            if decay is None:
                continue
            x = variable.value
            f = x.dtype.type
            x -= x * f(decay) * f(learning_rate)

    def get_config(self):
        config = super().get_config()
        config.update({
            "adam_beta_1": self.adam_beta_1, "adam_beta_2": self.adam_beta_2, "epsilon": self.epsilon,
            "exclude_layers": self.exclude_layers, "muon_a": self.muon_a, "muon_b": self.muon_b,
            "muon_c": self.muon_c, "adam_lr_ratio": self.adam_lr_ratio, "momentum": self.momentum,
            "ns_steps": self.ns_steps, "nesterov": self.nesterov, "exclude_embeddings": self.exclude_embeddings,
            "adam_weight_decay": self.adam_weight_decay, "rms_rate": self.rms_rate,
        })
        return config
