"""The compiled loops of the `fast` extra: one pass over the packed weights per optimizer step.

Each kernel does, for one element at a time, exactly the float operations the optimizer's
numpy update does over whole arrays, in the same order and in the same float type (every
scalar argument has the array's dtype). Compiled by numba without fast-math and with
numpy's error model (IEEE division, no exceptions): LLVM then neither reorders the
arithmetic nor contracts a multiply and an add into one FMA, so the result is the numpy
update's bit for bit (`tests/optimizers/test_fused_updates.py` checks it on random data).

Only `fused_updates.py` imports this module, and only when the kernels are wanted: it
needs numba, which `import nanokeras` never loads.

Example:
    >>> import numpy as np
    >>> from nanokeras.optimizers.fused_kernels import kernels
    >>> x, g = np.ones(3, "float32"), np.full(3, 2, "float32")
    >>> kernels.sgd(x, g, np.float32(0.25))   # x -= g * lr, compiled on first use
    >>> x.tolist()
    [0.5, 0.5, 0.5]
"""

import numba
import numpy as np


_KERNELS = {}


def _kernel(function):
    """Registers `function` (plain Python, readable and testable) as a kernel of `kernels`."""
    _KERNELS[function.__name__] = function
    return function


class _CompiledKernels:
    """The kernels of this module, each compiled the first time it is used: compiling (or
    loading from the disk cache) costs time per kernel, so only those in use pay it."""

    def __getattr__(self, name):
        function = _KERNELS.get(name)
        if function is None:
            raise AttributeError(f"no fused kernel named {name!r}; known: {', '.join(sorted(_KERNELS))}")
        options = dict(nopython=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)
        try:
            compiled = numba.jit(cache=True, **options)(function)
        except Exception:  # no writable cache directory (a read-only install): compiled per process
            compiled = numba.jit(cache=False, **options)(function)
        setattr(self, name, compiled)
        return compiled


kernels = _CompiledKernels()


def _maximum(a, b):
    # np.maximum's rule, -0.0/0.0 and NaN included: NaN wins, and on a tie the second.
    return a if (a > b or a != a) else b


_maximum = numba.njit(inline="always")(_maximum)


@_kernel
def sgd(x, g, lr):
    for i in range(x.shape[0]):
        x[i] = x[i] - g[i] * lr


@_kernel
def sgd_momentum(x, g, m, lr, momentum):
    for i in range(x.shape[0]):
        step = g[i] * lr
        mi = m[i] * momentum - step
        m[i] = mi
        x[i] = x[i] + mi


@_kernel
def sgd_nesterov(x, g, m, lr, momentum):
    for i in range(x.shape[0]):
        step = g[i] * lr
        mi = m[i] * momentum - step
        m[i] = mi
        x[i] = x[i] + (mi * momentum - step)


@_kernel
def weight_decay(x, decay, lr):
    for i in range(x.shape[0]):
        x[i] = x[i] - (x[i] * decay) * lr


@_kernel
def adam(x, g, m, v, one_minus_beta_1, one_minus_beta_2, alpha, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_beta_1
        m[i] = mi
        vi = v[i] + (gi * gi - v[i]) * one_minus_beta_2
        v[i] = vi
        x[i] = x[i] - (mi * alpha) / (np.sqrt(vi) + epsilon)


@_kernel
def adam_amsgrad(x, g, m, v, v_hat, one_minus_beta_1, one_minus_beta_2, alpha, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_beta_1
        m[i] = mi
        vi = v[i] + (gi * gi - v[i]) * one_minus_beta_2
        v[i] = vi
        vh = _maximum(v_hat[i], vi)
        v_hat[i] = vh
        x[i] = x[i] - (mi * alpha) / (np.sqrt(vh) + epsilon)


@_kernel
def adamax(x, g, m, u, one_minus_beta_1, beta_2, lr, epsilon, one_minus_beta_1_power):
    for i in range(x.shape[0]):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_beta_1
        m[i] = mi
        ui = _maximum(u[i] * beta_2, np.abs(gi))
        u[i] = ui
        x[i] = x[i] - (mi * lr) / ((ui + epsilon) * one_minus_beta_1_power)


@_kernel
def nadam(x, g, m, v, one_minus_beta_1, one_minus_beta_2, u_t_1, one_minus_u_product_t_1,
          one_minus_u_t, one_minus_u_product_t, lr, one_minus_beta_2_power, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_beta_1
        m[i] = mi
        vi = v[i] + (gi * gi - v[i]) * one_minus_beta_2
        v[i] = vi
        m_hat = (mi * u_t_1) / one_minus_u_product_t_1 + (gi * one_minus_u_t) / one_minus_u_product_t
        x[i] = x[i] - (m_hat * lr) / (np.sqrt(vi / one_minus_beta_2_power) + epsilon)


@_kernel
def rmsprop(x, g, v, lr, rho, one_minus_rho, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        x[i] = x[i] - (gi * lr) / np.sqrt(vi + epsilon)


@_kernel
def rmsprop_momentum(x, g, v, mom, lr, rho, one_minus_rho, epsilon, momentum):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        mi = mom[i] * momentum + (gi * lr) / np.sqrt(vi + epsilon)
        mom[i] = mi
        x[i] = x[i] - mi


@_kernel
def rmsprop_centered(x, g, v, avg, lr, rho, one_minus_rho, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        ai = avg[i] * rho + gi * one_minus_rho
        avg[i] = ai
        x[i] = x[i] - (gi * lr) / np.sqrt((vi - ai * ai) + epsilon)


@_kernel
def rmsprop_centered_momentum(x, g, v, avg, mom, lr, rho, one_minus_rho, epsilon, momentum):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        ai = avg[i] * rho + gi * one_minus_rho
        avg[i] = ai
        mi = mom[i] * momentum + (gi * lr) / np.sqrt((vi - ai * ai) + epsilon)
        mom[i] = mi
        x[i] = x[i] - mi


@_kernel
def adagrad(x, g, acc, lr, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        ai = acc[i] + gi * gi
        acc[i] = ai
        x[i] = x[i] - (gi * lr) / np.sqrt(ai + epsilon)


@_kernel
def adadelta(x, g, acc_g, acc_dx, lr, rho, one_minus_rho, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        ag = acc_g[i] * rho + (gi * gi) * one_minus_rho
        acc_g[i] = ag
        delta = -((np.sqrt(acc_dx[i] + epsilon) * gi) / np.sqrt(ag + epsilon))
        acc_dx[i] = acc_dx[i] * rho + (delta * delta) * one_minus_rho
        x[i] = x[i] + delta * lr


@_kernel
def lion(x, g, m, lr, beta_1, one_minus_beta_1, beta_2, one_minus_beta_2, one, zero):
    for i in range(x.shape[0]):
        gi = g[i]
        c = m[i] * beta_1 + gi * one_minus_beta_1
        # np.sign's rule: 1, -1, 0 for both zeros, NaN stays itself
        if c > zero:
            c = one
        elif c < zero:
            c = -one
        elif c == zero:
            c = zero
        x[i] = x[i] - c * lr
        m[i] = m[i] * beta_2 + gi * one_minus_beta_2
