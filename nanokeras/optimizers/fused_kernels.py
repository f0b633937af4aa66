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
    >>> from nanokeras.optimizers.fused_kernels import sgd   # doctest: +SKIP
    >>> x, g = np.ones(3, "float32"), np.full(3, 2, "float32")
    >>> sgd(x, g, np.float32(0.5)); x.tolist()   # doctest: +SKIP
    [0.0, 0.0, 0.0]
"""

import numba
import numpy as np


def _compile(function):
    """`function` compiled for each dtype it meets; cached on disk when a cache can be written."""
    options = dict(nopython=True, nogil=True, fastmath=False, error_model="numpy", boundscheck=False)
    try:
        return numba.jit(cache=True, **options)(function)
    except Exception:  # no writable cache directory (a read-only install): compile per process
        return numba.jit(cache=False, **options)(function)


def _maximum(a, b):
    # np.maximum's rule, -0.0/0.0 and NaN included: NaN wins, and on a tie the second.
    return a if (a > b or a != a) else b


_maximum = numba.njit(inline="always")(_maximum)


@_compile
def sgd(x, g, lr):
    for i in range(x.shape[0]):
        x[i] = x[i] - g[i] * lr


@_compile
def sgd_momentum(x, g, m, lr, momentum):
    for i in range(x.shape[0]):
        step = g[i] * lr
        mi = m[i] * momentum - step
        m[i] = mi
        x[i] = x[i] + mi


@_compile
def sgd_nesterov(x, g, m, lr, momentum):
    for i in range(x.shape[0]):
        step = g[i] * lr
        mi = m[i] * momentum - step
        m[i] = mi
        x[i] = x[i] + (mi * momentum - step)


@_compile
def weight_decay(x, decay, lr):
    for i in range(x.shape[0]):
        x[i] = x[i] - (x[i] * decay) * lr


@_compile
def adam(x, g, m, v, one_minus_beta_1, one_minus_beta_2, alpha, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_beta_1
        m[i] = mi
        vi = v[i] + (gi * gi - v[i]) * one_minus_beta_2
        v[i] = vi
        x[i] = x[i] - (mi * alpha) / (np.sqrt(vi) + epsilon)


@_compile
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


@_compile
def adamax(x, g, m, u, one_minus_beta_1, beta_2, lr, epsilon, one_minus_beta_1_power):
    for i in range(x.shape[0]):
        gi = g[i]
        mi = m[i] + (gi - m[i]) * one_minus_beta_1
        m[i] = mi
        ui = _maximum(u[i] * beta_2, np.abs(gi))
        u[i] = ui
        x[i] = x[i] - (mi * lr) / ((ui + epsilon) * one_minus_beta_1_power)


@_compile
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


@_compile
def rmsprop(x, g, v, lr, rho, one_minus_rho, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        x[i] = x[i] - (gi * lr) / np.sqrt(vi + epsilon)


@_compile
def rmsprop_momentum(x, g, v, mom, lr, rho, one_minus_rho, epsilon, momentum):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        mi = mom[i] * momentum + (gi * lr) / np.sqrt(vi + epsilon)
        mom[i] = mi
        x[i] = x[i] - mi


@_compile
def rmsprop_centered(x, g, v, avg, lr, rho, one_minus_rho, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        vi = v[i] * rho + (gi * gi) * one_minus_rho
        v[i] = vi
        ai = avg[i] * rho + gi * one_minus_rho
        avg[i] = ai
        x[i] = x[i] - (gi * lr) / np.sqrt((vi - ai * ai) + epsilon)


@_compile
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


@_compile
def adagrad(x, g, acc, lr, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        ai = acc[i] + gi * gi
        acc[i] = ai
        x[i] = x[i] - (gi * lr) / np.sqrt(ai + epsilon)


@_compile
def adadelta(x, g, acc_g, acc_dx, lr, rho, one_minus_rho, epsilon):
    for i in range(x.shape[0]):
        gi = g[i]
        ag = acc_g[i] * rho + (gi * gi) * one_minus_rho
        acc_g[i] = ag
        delta = -((np.sqrt(acc_dx[i] + epsilon) * gi) / np.sqrt(ag + epsilon))
        acc_dx[i] = acc_dx[i] * rho + (delta * delta) * one_minus_rho
        x[i] = x[i] + delta * lr


@_compile
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
