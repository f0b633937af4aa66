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

import re

import numpy as np


_NUMBER = r"-?(?:\d+\.?\d*(?:e[-+]?\d+)?)"
_IDENTITY = re.compile(r"^(\w+|" + _NUMBER + r") [*/] 1\.0$|^1\.0 \* (\w+|" + _NUMBER + r")$")
_LITERALS = re.compile(r"^(" + _NUMBER + r") ([-+*/]) (" + _NUMBER + r")$")


def _folded(expr):
    """The value of `expr` when it needs no code: `x * 1.0`, `x / 1.0`, `1.0 * x` (exact in
    floating point), or two literals (computed now, in float64 as the line would)."""
    match = _IDENTITY.match(expr)
    if match:
        return match.group(1) or match.group(2)
    match = _LITERALS.match(expr)
    if match:
        a, op, b = float(match.group(1)), match.group(2), float(match.group(3))
        if op == "/" and b == 0:
            return None
        return literal({"+": a + b, "-": a - b, "*": a * b, "/": a / b if b else 0.0}[op])
    return None


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
        self.counters = set()  # names of totals of whole numbers (see `count`)
        self.rounded = set()  # names holding float32 values

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
        rounds it to float32 when numpy would (`rounded`) and the policy asks for it.
        `x * 1.0`, `x / 1.0` and arithmetic on two literals cost nothing: no line."""
        rounding = rounded and (self.rounding or exact)
        if name is None:
            folded = _folded(expr)
            if folded is not None:
                if not rounding or folded in self.rounded or not folded[0].isalpha():
                    return folded
                expr = folded  # only the rounding is left to do
        name = name or self.fresh(hint)
        if rounding:
            self.lines.append(f"_f[0] = {expr}")
            self.lines.append(f"{name} = _f[0]")
            self.rounded.add(name)
        else:
            self.lines.append(f"{name} = {expr}")
            self.rounded.discard(name)
        return name

    def count(self, name, amount):
        """`name += amount` for a float32 total of whole numbers (sample counts, hits): exact
        without rounding while below 2**24, which the caller checks (`counters`)."""
        self.counters.add(name)
        self.lines.append(f"{name} += {amount}")

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


class Unsupported(Exception):
    """A recorded computation the scalar code does not cover (the message says what)."""


def closure(function):
    """`{free variable name: value}` of a nested function (the op's recorded arguments)."""
    cells = function.__closure__ or ()
    values = {}
    for name, cell in zip(function.__code__.co_freevars, cells):
        try:
            values[name] = cell.cell_contents
        except ValueError:  # an empty cell
            pass
    return values


def exp_expression(expr):
    # math.exp raises beyond 709.78 where numpy gives inf
    return f"(exp({expr}) if {expr} < 709.0 else inf)"
