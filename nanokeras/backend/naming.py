"""Automatic, unique object names as Keras gives them: `dense`, `dense_1`, ...

The counters live for one session; `keras.backend.clear_session()` resets them.
"""

import collections
import re

_name_counts = collections.defaultdict(int)


def to_snake_case(name):
    """`'BatchNormalization'` -> `'batch_normalization'`."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def uniquify(name):
    """Returns `name` the first time, then `name_1`, `name_2`, ..."""
    count = _name_counts[name]
    _name_counts[name] = count + 1
    return name if count == 0 else f"{name}_{count}"


def auto_name(class_name):
    """A fresh name for an object of class `class_name`."""
    return uniquify(to_snake_case(class_name))


def get_uid(prefix=""):
    """Counts calls per `prefix`: 1, 2, 3, ..."""
    _name_counts[prefix] += 1
    return _name_counts[prefix]


def reset_uids():
    _name_counts.clear()
