"""`Metric.stateless_update_state`, `stateless_result` and `stateless_reset_state`: a metric's
step from given state values, returning new ones, for loops that keep the state themselves
(as JAX-style training loops do in Keras).

The metric's variables are given the passed values inside a `keras.StatelessScope`, the
usual `update_state` / `result` / `reset_state` runs (so the same numbers), and the scope
puts every variable back when it closes: the metric itself does not change.
"""

import numpy as np

from nanokeras.ops.stateless_scope import StatelessScope


def _mapping(metric, metric_variables):
    own = metric.variables
    try:
        given = list(metric_variables)
    except TypeError:
        raise TypeError(
            f"Argument `metric_variables` of {type(metric).__name__} must be a list of arrays, got "
            f"{type(metric_variables).__name__}."
        ) from None
    if len(given) != len(own):
        raise ValueError(
            f"Argument `metric_variables` must be a list of arrays, one for each of {metric.name!r}'s "
            f"{len(own)} variables (metric.variables), in that order; got {len(given)}. A metric whose "
            "variables are made at its first update must be updated (or built) once first."
        )
    return own, list(zip(own, given))


def stateless_update_state(metric, metric_variables, *args, **kwargs):
    """The metric's variables' values after `update_state(*args, **kwargs)` from `metric_variables`."""
    own, mapping = _mapping(metric, metric_variables)
    with StatelessScope(state_mapping=mapping) as scope:
        metric.update_state(*args, **kwargs)
    return [scope.get_current_value(v) for v in own]


def stateless_result(metric, metric_variables):
    """`result()` of the metric with its variables at `metric_variables`."""
    _, mapping = _mapping(metric, metric_variables)
    with StatelessScope(state_mapping=mapping):
        result = metric.result()
        # A copy: a result that is one of the variables' arrays is put back when the scope closes.
        return np.array(result)[()] if np.ndim(result) == 0 else np.array(result)


def stateless_reset_state(metric):
    """The metric's variables' values after `reset_state()` (the metric itself keeps its state)."""
    own = metric.variables
    with StatelessScope(state_mapping=[(v, v.value) for v in own]) as scope:
        metric.reset_state()
    return [scope.get_current_value(v) for v in own]
