"""Python source on scalars, written line by line: the tiny-model path's code builder.

A tensor of the generated program is a numpy *object* array of the same shape whose
elements are Python expressions (names of locals, or literals): `x[0, 1]` is `"x0_1"`.
Emitters (`scalar_ops.py`, `scalar_updates.py`) turn recorded ops into lines that
compute each element with Python floats.

numpy computes float32 ops in float32: each result is rounded to the nearest float32.
Python computes in float64, so `Code.let(expr)` rounds where numpy would, by storing
the value into a one-element float32 `array` and reading it back (`_f[0] = ...;
t = _f[0]`): exact IEEE rounding, overflow to inf included. For +, -, *, / and sqrt
this gives numpy's float32 bits exactly (float64 holds more than twice float32's
precision, so rounding twice is harmless); exp, log and tanh differ from numpy's
float32 kernels by at most one unit in the last place.

Example:
    >>> code = Code()
    >>> name = code.let("a * b", "p")
    >>> print(code.text(indent=0))
    _f[0] = a * b
    p0 = _f[0]
"""

import numpy as np


def grid(shape, make):
    """An object array of `shape` whose element at index `i` is `make(i)`."""
    out = np.empty(shape, dtype=object)
    for index in np.ndindex(*shape):
        out[index] = make(index)
    return out


def literal(value):
    """A Python literal for a number (`inf`/`nan` are names the generated module defines)."""
    value = float(value)
    if value != value:
        return "nan"
    if value in (float("inf"), float("-inf")):
        return "inf" if value > 0 else "-inf"
    return repr(value)


def suffix(index):
    return "_".join(str(i) for i in index)


class Code:
    """Lines of generated code and the names they define.

    Args:
        rounding: round every value `let` defines to float32 (True), or only the ones
            given `exact=True` (values kept between steps, compared or stored).
    """

    def __init__(self, rounding=True):
        self.lines = []
        self.counter = 0
        self.rounding = rounding
        self.memo = {}  # what an op's forward leaves for its gradient, by id(node)

    def fresh(self, hint="t"):
        name = f"{hint}{self.counter}"
        self.counter += 1
        return name

    def line(self, text):
        self.lines.append(text)

    def comment(self, text):
        self.lines.append("# " + text)

    def let(self, expr, hint="t", rounded=True, exact=False, name=None):
        """Assigns `expr` to a new local (or `name`) and returns the local's name;
        rounds it to float32 when numpy would (`rounded`) and the policy asks for it."""
        name = name or self.fresh(hint)
        if rounded and (self.rounding or exact):
            self.lines.append(f"_f[0] = {expr}")
            self.lines.append(f"{name} = _f[0]")
        else:
            self.lines.append(f"{name} = {expr}")
        return name

    def sum(self, terms, hint="s", exact=False):
        """numpy's float32 sum of `terms`, left to right (each partial sum rounded)."""
        terms = list(terms)
        if not terms:
            return "0.0"
        total = terms[0]
        for term in terms[1:]:
            total = self.let(f"{total} + {term}", hint, exact=exact)
        return total

    def text(self, indent=1):
        pad = "    " * indent
        return "\n".join(pad + line for line in self.lines)
