"""Keras 2's random functions: `K.random_normal`, `K.random_uniform`, `K.truncated_normal`,
`K.random_bernoulli`, `K.dropout` and the random variables.

As in Keras 2 on TensorFlow, each call draws new numbers; an int `seed` makes the
sequence of draws the same in every run. A shape may be given with `K.shape(x)[0]`
(the batch size), so the variational autoencoder's sampling runs unchanged:

    epsilon = K.random_normal(shape=(K.shape(z_mean)[0], K.int_shape(z_mean)[1]))

Example:
    >>> from nanokeras import keras2_backend as K
    >>> a, b = K.random_normal((2,), seed=1), K.random_normal((2,), seed=1)
    >>> a.shape, bool((a != b).all())
    ((2,), True)
"""

import inspect

import numpy as np

from nanokeras import ops
from nanokeras import random as keras_random
from nanokeras.backend import config
from nanokeras.keras2_backend.registry import keras2_function
from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable

_generators = {}  # int seed -> its generator: draws follow one sequence per seed, as TensorFlow's do


def _seed(seed):
    if seed is None:
        return None
    if isinstance(seed, keras_random.SeedGenerator):
        return seed
    key = int(seed)
    if key not in _generators:
        _generators[key] = keras_random.SeedGenerator(key)
    return _generators[key]


def _is_symbolic(x):
    return getattr(type(x), "_is_keras_tensor", False)


def _shape(shape):
    """The shape as a tuple of ints, from ints, 0-d tensors (`K.shape(x)[0]`) or an int vector."""
    values = value_of(shape)
    if isinstance(values, np.ndarray):
        return tuple(int(d) for d in np.ravel(values))
    if isinstance(values, (int, np.integer)):
        return (int(values),)
    return tuple(int(np.asarray(value_of(d))) for d in values)


def _drawing(name, draw):
    """`draw(shape, ...)` that also takes a shape holding symbolic tensors (`K.shape(z)[0]`): then
    a step of the model's graph, with those dimensions unknown until the model runs."""

    def function(shape, *args, **kwargs):
        entries = list(shape) if isinstance(shape, (list, tuple)) else [shape]
        if not any(_is_symbolic(d) for d in entries):
            return draw(_shape(shape), *args, **kwargs)
        from nanokeras.graph.keras_tensor import KerasTensor
        from nanokeras.graph.symbolic_op import _class_for

        def on_values(shape_values, *args, **kwargs):
            return draw(_shape(shape_values), *args, **kwargs)

        on_values.__name__ = name
        dims = tuple(None if _is_symbolic(d) else int(d) for d in entries)
        dtype = inspect.signature(draw).bind(shape, *args, **kwargs).arguments.get("dtype") or config.floatx()
        spec = KerasTensor(dims, dtype=dtype)
        return _class_for(name)(on_values)._record_symbolic_call((tuple(entries),) + args, kwargs, spec)

    function.__name__ = name
    return function


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples of the normal distribution `N(mean, stddev**2)` (floatx() unless `dtype`)."""
    return keras_random.normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=_seed(seed))


def random_uniform(shape, minval=0.0, maxval=1.0, dtype=None, seed=None):
    """Samples of the uniform distribution on `[minval, maxval)`."""
    return keras_random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype, seed=_seed(seed))


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None):
    """Samples of `N(mean, stddev**2)` within two standard deviations of the mean."""
    return keras_random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype, seed=_seed(seed))


def random_bernoulli(shape, p=0.0, dtype=None, seed=None):
    """1 with probability `p`, else 0 (floatx() unless `dtype`)."""
    dtype = config.floatx() if dtype is None else dtype
    uniform = keras_random.uniform(shape, dtype=dtype, seed=_seed(seed))
    return ops.cast(ops.less_equal(uniform, np.asarray(p, dtype)), dtype)  # ops: a replayed step draws anew


_SPELLINGS = {
    "random_normal": "`keras.random.normal`",
    "random_uniform": "`keras.random.uniform`",
    "truncated_normal": "`keras.random.truncated_normal`",
    "random_bernoulli": "`keras.random.binomial(shape, counts=1, probabilities=p)`",
    "random_binomial": "`keras.random.binomial(shape, counts=1, probabilities=p)`",
}
for _name, _draw in [("random_normal", random_normal), ("random_uniform", random_uniform),
                     ("truncated_normal", truncated_normal), ("random_bernoulli", random_bernoulli),
                     ("random_binomial", random_bernoulli)]:
    _function = _drawing(_name, _draw)
    _function.__doc__ = _draw.__doc__
    _function.__module__ = __name__
    globals()[_name] = keras2_function(_SPELLINGS[_name], symbolic=False)(_function)
del _name, _draw, _function


@keras2_function("`keras.random.dropout(x, rate, noise_shape=noise_shape, seed=seed)`")
def dropout(x, level, noise_shape=None, seed=None):
    """`x / (1 - level)` where a random mask keeps it (probability `1 - level`), else 0."""
    return keras_random.dropout(x, level, noise_shape=noise_shape, seed=_seed(seed))


@keras2_function("`keras.Variable(keras.initializers.RandomNormal(mean, scale)(shape))`", symbolic=False)
def random_normal_variable(shape, mean, scale, dtype=None, name=None, seed=None):
    """A variable of samples of `N(mean, scale**2)`."""
    dtype = config.floatx() if dtype is None else dtype
    values = keras_random.normal(_shape(shape), mean=mean, stddev=scale, dtype=dtype, seed=_seed(seed))
    return Variable(values, dtype=dtype, name=name)


@keras2_function("`keras.Variable(keras.initializers.RandomUniform(low, high)(shape))`", symbolic=False)
def random_uniform_variable(shape, low, high, dtype=None, name=None, seed=None):
    """A variable of samples of the uniform distribution on `[low, high)`."""
    dtype = config.floatx() if dtype is None else dtype
    values = keras_random.uniform(_shape(shape), minval=low, maxval=high, dtype=dtype, seed=_seed(seed))
    return Variable(values, dtype=dtype, name=name)
