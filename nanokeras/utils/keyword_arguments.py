"""Unknown keyword arguments get one clear error: the class, the bad name, the closest valid name.

Python's own message for a misspelt argument (`__init__() got an unexpected keyword
argument 'activaton'`) names neither the layer nor the fix. Layers check their leftover
`**kwargs` (as Keras does); losses, metrics, callbacks, schedules, initializers,
regularizers and constraints check in `__new__`, before `__init__` runs, so a rejected
call builds nothing.

Example:
    >>> import nanokeras as keras
    >>> keras.layers.Dense(1, activaton="relu")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    nanokeras.utils.keyword_arguments.UnknownArgumentError: Unrecognized keyword arguments passed to Dense: {'activaton': 'relu'}. Did you mean 'activation' (instead of 'activaton')? Dense accepts: units, activation, ...
"""

import inspect
import reprlib
import weakref

from nanokeras.utils.lookup import closest_names


class UnknownArgumentError(ValueError, TypeError):
    """A keyword argument the class does not take.

    A `ValueError`, as Keras raises for layers; also a `TypeError`, as Python raises
    for any call with an unexpected keyword, so code catching either keeps working.
    """


_short = reprlib.Repr()
_short.maxstring = 40
_short.maxother = 40

# Keras 1/2 argument names and what they became: a spelling match would suggest the wrong one
# (`init` looks like `units`, `output_dim` like `input_dim`).
RENAMED = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
    "beta_init": "beta_initializer",
    "gamma_init": "gamma_initializer",
    "p": "rate",
    "lr": "learning_rate",
    "epsilon": "min_delta",
    "period": "save_freq",
}

# class -> (names it takes, whether that list is complete)
_signatures = weakref.WeakKeyDictionary()


def _own_keywords(init):
    """The keyword-passable parameter names of `init` (without `self`), and whether it takes `**kwargs`."""
    try:
        parameters = list(inspect.signature(init).parameters.values())[1:]
    except (TypeError, ValueError):  # a builtin without a signature: nothing to learn from it
        return [], True
    names = [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    return names, any(p.kind is p.VAR_KEYWORD for p in parameters)


def accepted_keywords(cls):
    """The keyword arguments `cls(...)` takes, and whether that list is complete.

    Follows `**kwargs` up the class hierarchy as long as they are forwarded to
    `super().__init__`: nanokeras classes do, unless they set
    `_accepts_extra_keywords = True` (their `**kwargs` go elsewhere, e.g. to `fn`).
    A user's class with `**kwargs` may keep them, so the list is then incomplete.
    Names a class reads from its `**kwargs` itself are listed in its `_extra_keywords`.
    """
    cached = _signatures.get(cls)
    if cached is not None:
        return cached
    names, complete = [], True
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        if klass is object:
            break
        own, forwards = _own_keywords(init)
        own = own + list(klass.__dict__.get("_extra_keywords", ()))
        names.extend(n for n in own if n not in names)
        if not forwards:
            break
        ours = klass.__module__.startswith("nanokeras.")
        if not ours or klass.__dict__.get("_accepts_extra_keywords", False):
            complete = False
            break
    result = (tuple(names), complete)
    _signatures[cls] = result
    return result


def all_keywords(cls):
    """Every named `__init__` parameter along `cls`'s hierarchy (the candidates for a suggestion)."""
    names = []
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is not None and klass is not object:
            own = _own_keywords(init)[0] + list(klass.__dict__.get("_extra_keywords", ()))
            names.extend(n for n in own if n not in names)
    return names


def suggest_keyword(name, known):
    """The valid name the caller most likely meant by `name`, or None."""
    if RENAMED.get(name) in known:
        return RENAMED[name]
    matches = closest_names(name, known)
    return matches[0] if matches else None


def unknown_keywords_error(owner, kwargs, known):
    """An `UnknownArgumentError` for the entries of `kwargs` not in `known`.

    Args:
        owner: the class (or a name for it) that was called.
        kwargs: the keyword arguments it did not recognize.
        known: the names it does take, in the order to list them.
    """
    name = owner if isinstance(owner, str) else owner.__name__
    shown = ", ".join(f"{key!r}: {_short.repr(value)}" for key, value in kwargs.items())
    message = f"Unrecognized keyword arguments passed to {name}: {{{shown}}}."
    for key in kwargs:
        suggestion = suggest_keyword(key, known)
        if suggestion:
            message += f" Did you mean {suggestion!r} (instead of {key!r})?"
    if known:
        message += f" {name} accepts: {', '.join(known)}."
    else:
        message += f" {name} takes no keyword arguments."
    return UnknownArgumentError(message)


def check_keyword_arguments(cls, kwargs, extra=()):
    """Raises `UnknownArgumentError` if `cls(**kwargs)` passes a name `cls` does not take.

    Called from `__new__` of the base classes, so it runs before any `__init__`.
    `extra`: names the base class takes through its own `**kwargs` (a layer's `input_shape`).
    """
    if not kwargs:
        return
    known, complete = accepted_keywords(cls)
    if not complete:
        return
    unknown = {key: value for key, value in kwargs.items() if key not in known and key not in extra}
    if unknown:
        raise unknown_keywords_error(cls, unknown, list(known) + [n for n in extra if n not in known])
