"""Dtype policies: the dtypes a layer computes in and keeps its weights in.

`keras.config.set_dtype_policy("float64")` makes layers created afterwards
(without a `dtype` of their own) compute and keep weights in float64.

The mixed policies `"mixed_float16"` and `"mixed_bfloat16"` are accepted and
report what Keras reports (`compute_dtype` float16 or bfloat16, `variable_dtype`
float32), but nanokeras layers compute in their variable dtype, float32:
half precision brings numpy no speed (it has no float16 arithmetic units to
use, and no bfloat16 at all), only rounding error.

Example:
    >>> policy = DTypePolicy("mixed_float16")
    >>> policy.compute_dtype, policy.variable_dtype
    ('float16', 'float32')
    >>> policy
    <DTypePolicy "mixed_float16">
"""

import numpy as np

from nanokeras.backend import config

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}
_global_policy = None  # None: a policy named `floatx()`, read when asked


class DTypePolicy:
    """A layer's compute and variable dtypes, named by a dtype (`"float32"`) or a mixed policy.

    Args:
        name: a dtype name such as `"float32"` or `"float64"` (both dtypes are that
            one), `"mixed_float16"` or `"mixed_bfloat16"`; None: the global policy.
    """

    def __init__(self, name=None):
        if name is None:
            name = dtype_policy().name
        if not isinstance(name, str):
            raise TypeError(
                f"A dtype policy's `name` must be a string such as 'float32' or 'mixed_float16', "
                f"got {name!r} (of type {type(name).__name__})."
            )
        if name in _MIXED:
            compute, variable = _MIXED[name], "float32"
        else:
            try:
                compute = variable = np.dtype(name).name
            except TypeError:
                raise ValueError(
                    f"Cannot make a dtype policy from {name!r}. Valid policies are 'mixed_float16', "
                    "'mixed_bfloat16' and dtype names such as 'float32' or 'float64'."
                ) from None
        self._name = name
        self._compute_dtype = compute
        self._variable_dtype = variable

    @property
    def name(self):
        """The policy's name, e.g. `'float32'` or `'mixed_float16'`."""
        return self._name

    @property
    def compute_dtype(self):
        """The dtype Keras layers compute in under this policy (see the module note on mixed policies)."""
        return self._compute_dtype

    @property
    def variable_dtype(self):
        """The dtype layers create their weights in."""
        return self._variable_dtype

    @property
    def quantization_mode(self):
        """None: nanokeras has no quantized policies."""
        return None

    def get_config(self):
        return {"name": self._name}

    @classmethod
    def from_config(cls, config_):
        return cls(**config_)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other._name == self._name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


class FloatDTypePolicy(DTypePolicy):
    """Another name for `DTypePolicy`, as in Keras."""


def dtype_policy():
    """The global dtype policy: a `DTypePolicy` named `floatx()` unless `set_dtype_policy` chose another."""
    if _global_policy is None:
        return DTypePolicy(config.floatx())
    return _global_policy


def set_dtype_policy(policy):
    """Sets the global dtype policy: a `DTypePolicy` or a name (`"float64"`, `"mixed_float16"`, ...)."""
    global _global_policy
    if isinstance(policy, DTypePolicy):
        _global_policy = policy
    elif isinstance(policy, str):
        _global_policy = DTypePolicy(policy)
    else:
        raise ValueError(
            f"Invalid `policy` argument: expected a policy name such as 'float32' or 'mixed_float16', "
            f"or a `keras.DTypePolicy`, got {policy!r}."
        )


def reset_global_policy():
    """Back to the default: a policy named `floatx()` (`keras.backend.clear_session()` does this)."""
    global _global_policy
    _global_policy = None
