"""What `compile` turns its arguments into: a loss to call and metrics to update.

Keras 3 reads `compile(optimizer, loss, loss_weights, metrics)`; Keras 2 read
`compile(optimizer, loss, metrics)`. Tutorials still pass metrics third, so a
third positional argument that looks like metrics (names, functions, Metric
objects) is taken as `metrics`.
"""

import numbers

from nanokeras import losses as losses_module
from nanokeras.metrics.resolve import check_metric_identifier
from nanokeras import optimizers as optimizers_module


def looks_like_metrics(value):
    """True for a list/tuple/dict of metric identifiers (not of numbers)."""
    if isinstance(value, dict):
        return any(not isinstance(v, numbers.Number) for v in value.values())
    if isinstance(value, (list, tuple)):
        return len(value) > 0 and any(not isinstance(v, numbers.Number) for v in value)
    return isinstance(value, str)


def resolve_optimizer(optimizer):
    if optimizer is None:
        raise ValueError("`optimizer` is required in compile(), e.g. optimizer='adam'.")
    return optimizers_module.get(optimizer)


def resolve_loss(loss):
    """A callable `loss(y_true, y_pred, sample_weight)` (a `Loss` object), or None."""
    if loss is None:
        return None
    if isinstance(loss, (list, tuple)):
        if len(loss) != 1:
            raise ValueError(
                f"`loss` was given as a list of {len(loss)} losses, but this model has a single output; "
                "pass one loss."
            )
        loss = loss[0]
    if isinstance(loss, dict):
        raise ValueError("`loss` as a dict needs a model with named outputs; pass a single loss for this model.")
    resolved = losses_module.get(loss)
    if not isinstance(resolved, losses_module.Loss):
        resolved = losses_module.LossFunctionWrapper(resolved, name=getattr(resolved, "__name__", None))
    return resolved


def resolve_loss_weight(loss_weights):
    if loss_weights is None:
        return None
    if isinstance(loss_weights, (list, tuple)):
        if len(loss_weights) != 1:
            raise ValueError(
                f"`loss_weights` has {len(loss_weights)} entries but the model has 1 output."
            )
        loss_weights = loss_weights[0]
    if isinstance(loss_weights, dict):
        raise ValueError("`loss_weights` as a dict needs a model with named outputs.")
    if not isinstance(loss_weights, numbers.Number):
        raise TypeError(f"`loss_weights` must be a number (or a list of one), got {loss_weights!r}.")
    return float(loss_weights)


def check_metrics(metrics, argument="metrics"):
    """The list of metric identifiers, each checked (unknown names get a suggestion)."""
    if metrics is None:
        return []
    if isinstance(metrics, (str,)) or callable(metrics):
        metrics = [metrics]
    if isinstance(metrics, dict):
        raise ValueError(f"`{argument}` as a dict needs a model with named outputs; pass a list for this model.")
    if not isinstance(metrics, (list, tuple)):
        raise TypeError(f"`{argument}` must be a list of metrics, got {type(metrics).__name__}.")
    for identifier in metrics:
        check_metric_identifier(identifier)
    return list(metrics)
