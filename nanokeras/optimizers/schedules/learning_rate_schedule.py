"""Learning-rate schedules: the rate as a function of the optimizer step (Keras 3 formulas).

A schedule is called with the optimizer's `iterations` and returns a float32
scalar (PiecewiseConstantDecay: its values' type, so integers stay int32);
optimizers evaluate it once per step.

Example:
    >>> from nanokeras.optimizers.schedules import ExponentialDecay
    >>> schedule = ExponentialDecay(0.1, decay_steps=10, decay_rate=0.5)
    >>> float(schedule(10))
    0.05000000074505806
"""

import math

import numpy as np

from nanokeras.backend.dtypes import result_type
from nanokeras.ops.tensor import value_of
from nanokeras.utils.keyword_arguments import check_keyword_arguments

_f = np.float32


def _step(step):
    return _f(np.asarray(value_of(step)))


def _check_decay_steps(name, value):
    if not isinstance(value, (int, float, np.number)) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value!r}")


class LearningRateSchedule:
    """Base class: subclasses implement `__call__(step)` and `get_config()`.

    Example:
        >>> from nanokeras.optimizers.schedules import LearningRateSchedule
        >>> class Halving(LearningRateSchedule):
        ...     def __call__(self, step):
        ...         return 0.1 / (int(step) + 1)
        ...     def get_config(self):
        ...         return {}
        >>> Halving()(1)
        0.05
    """

    def __new__(cls, *args, **kwargs):
        # Before `__init__`: a misspelt argument gets "did you mean ...?", not Python's TypeError.
        check_keyword_arguments(cls, kwargs)
        return super().__new__(cls)

    def __call__(self, step):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`."
        )

    def get_config(self):
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "to be serializable."
        )

    @classmethod
    def from_config(cls, config):
        return cls(**config)


class ExponentialDecay(LearningRateSchedule):
    """`initial_learning_rate * decay_rate ** (step / decay_steps)` (floored with `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = _step(step) / _f(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _f(self.initial_learning_rate) * np.power(_f(self.decay_rate), p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class InverseTimeDecay(LearningRateSchedule):
    """`initial_learning_rate / (1 + decay_rate * step / decay_steps)` (floored with `staircase`)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="InverseTimeDecay"):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        p = _step(step) / _f(self.decay_steps)
        if self.staircase:
            p = np.floor(p)
        return _f(self.initial_learning_rate) / (_f(1) + _f(self.decay_rate) * p)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}


class PiecewiseConstantDecay(LearningRateSchedule):
    """`values[0]` up to `boundaries[0]` (inclusive), `values[1]` up to `boundaries[1]`, ..."""

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(boundaries) != len(values) - 1:
            raise ValueError(
                "The length of boundaries should be 1 less than the length of values. "
                f"Received: boundaries={boundaries} of length {len(boundaries)}, and "
                f"values={values} of length {len(values)}."
            )
        self.boundaries = boundaries
        self.values = values
        self.name = name

    def __call__(self, step):
        step = np.asarray(value_of(step))
        dtype = _values_dtype(self.values)
        for boundary, value in zip(self.boundaries, self.values):
            if step <= boundary:
                return np.asarray(value_of(value)).astype(dtype)[()]
        return np.asarray(value_of(self.values[-1])).astype(dtype)[()]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


def _values_dtype(values):
    """The dtype Keras gives a piecewise schedule's result: the values' common type (integer values
    stay integers, [3, 2.5] is float), with Python numbers and 64-bit types as 32-bit, as on JAX."""
    names = []
    for value in values:
        value = value_of(value)
        if isinstance(value, (bool, np.bool_)):
            names.append("bool")
        elif isinstance(value, int):
            names.append("int32")
        elif isinstance(value, float):
            names.append("float32")
        else:
            names.append(_THIRTY_TWO.get(np.asarray(value).dtype.name, np.asarray(value).dtype.name))
    return np.dtype(result_type(*names))


_THIRTY_TWO = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}


class PolynomialDecay(LearningRateSchedule):
    """Decays from `initial_learning_rate` to `end_learning_rate` as `(1 - step/decay_steps)**power`."""

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0,
                 cycle=False, name="PolynomialDecay"):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.end_learning_rate = end_learning_rate
        self.power = power
        self.cycle = cycle
        self.name = name

    def __call__(self, step):
        step = _step(step)
        decay_steps = _f(self.decay_steps)
        if self.cycle:
            multiplier = _f(1) if step == 0 else np.ceil(step / decay_steps)
            decay_steps = decay_steps * multiplier
        else:
            step = np.minimum(step, decay_steps)
        p = step / decay_steps
        initial, end = _f(self.initial_learning_rate), _f(self.end_learning_rate)
        return (initial - end) * np.power(_f(1) - p, _f(self.power)) + end

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power,
                "cycle": self.cycle, "name": self.name}


class CosineDecay(LearningRateSchedule):
    """Cosine decay to `alpha * rate` over `decay_steps`, after an optional linear warmup."""

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _check_decay_steps("decay_steps", decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.alpha = alpha
        self.name = name
        self.warmup_target = warmup_target
        self.warmup_steps = warmup_steps

    def _decay(self, step, decay_steps, decay_from):
        cosine = _f(0.5) * (_f(1) + np.cos(_f(math.pi) * (step / decay_steps)))
        return decay_from * (_f(1 - self.alpha) * cosine + _f(self.alpha))

    def __call__(self, step):
        step = _step(step)
        initial, decay_steps = _f(self.initial_learning_rate), _f(self.decay_steps)
        if self.warmup_target is None:
            return self._decay(np.minimum(step, decay_steps), decay_steps, initial)
        target, warmup_steps = _f(self.warmup_target), _f(self.warmup_steps)
        step = np.minimum(step, decay_steps + warmup_steps)
        if step < warmup_steps:
            return (target - initial) * (step / warmup_steps) + initial
        return self._decay(step - warmup_steps, decay_steps, target)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "alpha": self.alpha, "name": self.name, "warmup_target": self.warmup_target,
                "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR): period `first_decay_steps`, then `t_mul` times longer.

    Each restart begins at `m_mul` times the previous peak; `alpha` is the floor as a
    fraction of `initial_learning_rate`.

    Example:
        >>> from nanokeras.optimizers.schedules import CosineDecayRestarts
        >>> schedule = CosineDecayRestarts(1.0, first_decay_steps=10)
        >>> float(schedule(0)), round(float(schedule(5)), 4), float(schedule(10))
        (1.0, 0.5, 1.0)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0,
                 name="SGDRDecay"):
        _check_decay_steps("first_decay_steps", first_decay_steps)
        self.initial_learning_rate = initial_learning_rate
        self.first_decay_steps = first_decay_steps
        self._t_mul = t_mul
        self._m_mul = m_mul
        self.alpha = alpha
        self.name = name

    def __call__(self, step):
        fraction = _step(step) / _f(self.first_decay_steps)
        t_mul = _f(self._t_mul)
        if t_mul == 1:
            i_restart = np.floor(fraction)
            fraction = fraction - i_restart
        else:
            # Periods grow geometrically: restart i starts at (1 - t_mul**i) / (1 - t_mul).
            i_restart = np.floor(np.log(_f(1) - fraction * (_f(1) - t_mul)) / np.log(t_mul))
            start = (_f(1) - np.power(t_mul, i_restart)) / (_f(1) - t_mul)
            fraction = (fraction - start) / np.power(t_mul, i_restart)
        m_fac = np.power(_f(self._m_mul), i_restart)
        cosine = _f(0.5) * m_fac * (_f(1) + np.cos(_f(math.pi) * fraction))
        alpha = _f(self.alpha)
        return _f(self.initial_learning_rate) * ((_f(1) - alpha) * cosine + alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate, "first_decay_steps": self.first_decay_steps,
                "t_mul": self._t_mul, "m_mul": self._m_mul, "alpha": self.alpha, "name": self.name}
