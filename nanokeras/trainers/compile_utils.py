"""What `compile` turns its arguments into: a loss to call and metrics to update.

Keras 3 reads `compile(optimizer, loss, loss_weights, metrics)`; Keras 2 read
`compile(optimizer, loss, metrics)`. Tutorials still pass metrics third, so a
third positional argument that looks like metrics (names, functions, Metric
objects) is taken as `metrics`.

A model with several outputs takes a loss, a weight and metrics per output, as a
list (in output order) or a dict (by output name). Names are only tied to
outputs once the model's outputs are known (the first `fit`/`evaluate`), but
every identifier is checked when `compile` is called.
"""

import numbers

import numpy as np

from nanokeras import losses as losses_module
from nanokeras import optimizers as optimizers_module
from nanokeras.backend import masking
from nanokeras.ops.tensor import value_of
from nanokeras.metrics.resolve import check_metric_identifier


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
    """A `Loss` object for one output (None stays None)."""
    if loss is None:
        return None
    resolved = losses_module.get(loss)
    if not isinstance(resolved, losses_module.Loss):
        resolved = losses_module.LossFunctionWrapper(resolved, name=getattr(resolved, "__name__", None))
    return resolved


def _check_weight(weight):
    if weight is not None and (not isinstance(weight, numbers.Number) or isinstance(weight, bool)):
        raise TypeError(f"`loss_weights` entries must be numbers, got {weight!r}.")
    return None if weight is None else float(weight)


def _check_metric_list(metrics, argument):
    if metrics is None:
        return []
    if isinstance(metrics, str) or callable(metrics):
        metrics = [metrics]
    if not isinstance(metrics, (list, tuple)):
        raise TypeError(f"`{argument}` must be a list of metrics, got {type(metrics).__name__}.")
    for identifier in metrics:
        check_metric_identifier(identifier)
    return list(metrics)


def _per_output(spec, names, argument, leaf):
    """`spec` (one value, a list in output order, or a dict by name) as one entry per output."""
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - set(names))
        if unknown:
            raise ValueError(
                f"`{argument}` has keys {unknown} that are not output names of the model; "
                f"the outputs are {names}."
            )
        return [spec.get(name) for name in names]
    if isinstance(spec, (list, tuple)) and not leaf(spec):
        if len(spec) != len(names):
            raise ValueError(
                f"`{argument}` has {len(spec)} entries but the model has {len(names)} outputs {names}; "
                "give one per output (or a dict keyed by output name)."
            )
        return list(spec)
    if len(names) == 1:
        return [spec]
    raise ValueError(
        f"The model has {len(names)} outputs {names}: `{argument}` must be a list with one entry per "
        f"output or a dict keyed by output name, got {spec!r}."
    )


def output_names_of(model, y_pred):
    """The names of the model's outputs, in order (dict outputs: their keys)."""
    if isinstance(y_pred, dict):
        return list(y_pred)
    count = len(y_pred) if isinstance(y_pred, (list, tuple)) else 1
    names = getattr(model, "output_names", None)
    if names and len(names) == count:
        return list(names)
    return ["output"] if count == 1 else [f"output_{i + 1}" for i in range(count)]


def outputs_are_named(model, y_pred):
    """False for several outputs without names (a subclassed model returning a tuple or list): Keras
    then logs each output's loss under its loss's name (`mse_loss`) and the metrics under their own
    names (`accuracy`, `mae_1` for a repeat), not under `output_1_...`."""
    if isinstance(y_pred, dict) or not isinstance(y_pred, (list, tuple)):
        return True
    names = getattr(model, "output_names", None)
    return bool(names) and len(names) == len(y_pred)


def _loss_log_name(spec, loss):
    """The name Keras logs an unnamed output's loss under: the string given, else the loss's name."""
    return spec if isinstance(spec, str) else loss.name


def align(structure, names, argument):
    """`structure` (an array, a list in output order, or a dict by name) as a list per output."""
    if isinstance(structure, dict):
        missing = [name for name in names if name not in structure]
        if missing:
            raise ValueError(f"`{argument}` is missing entries for outputs {missing} (keys: {sorted(structure)}).")
        return [structure[name] for name in names]
    if isinstance(structure, (list, tuple)):
        if len(structure) != len(names):
            raise ValueError(
                f"`{argument}` has {len(structure)} entries but the model has {len(names)} outputs {names}."
            )
        return list(structure)
    if len(names) != 1:
        raise ValueError(
            f"The model has {len(names)} outputs {names}: `{argument}` must be a list or a dict of arrays, one per output."
        )
    return [structure]


class CompiledLoss:
    """The compiled loss: `sum(weight_i * loss_i(y_i, y_pred_i))` over the outputs.

    For a single output it is just the loss (times its weight), the training hot path.
    """

    def __init__(self, loss, loss_weights):
        self.spec = loss
        self.weights_spec = loss_weights
        # Check every identifier now, so compile() fails on a misspelling.
        for leaf in _leaves(loss, lambda v: not isinstance(v, (list, tuple, dict))):
            resolve_loss(leaf)
        for leaf in _leaves(loss_weights, lambda v: not isinstance(v, (list, tuple, dict))):
            _check_weight(leaf)
        self.single = None  # (Loss, weight) for a one-output model
        self.outputs = None  # [(name, Loss or None, weight)] for several outputs
        self.trackers = []
        self.order = []  # indices of the outputs with a loss, in the order they are added
        self.without_loss = []  # indices of the outputs without a loss (when some other output has one)
        self.names = None
        # [(tracker, loss value, batch size)] of the last call, for several outputs (a
        # compiled step repeats these tracker updates when it replays the loss).
        self.last_output_losses = []

    def loss_objects(self):
        """The `Loss` objects in use (after `build`)."""
        if self.single is not None:
            return [self.single[0]] if self.single[0] is not None else []
        return [loss for _, loss, _ in self.outputs or () if loss is not None]

    def build(self, y_pred, names, named=True):
        if self.names is not None:
            return
        is_leaf = lambda v: not isinstance(v, (list, tuple, dict))  # noqa: E731
        if self.spec is None:
            losses = [None] * len(names)
        elif is_leaf(self.spec):
            losses = [self.spec] * len(names)  # one loss for every output, as Keras broadcasts it
        else:
            losses = _per_output(self.spec, names, "loss", is_leaf)
        if self.weights_spec is None:
            weights = [None] * len(names)
        else:
            weights = _per_output(self.weights_spec, names, "loss_weights", is_leaf)
        resolved = [(name, resolve_loss(loss), _check_weight(w)) for name, loss, w in zip(names, losses, weights)]
        if len(names) == 1 and not isinstance(y_pred, (list, tuple, dict)):
            self.single = resolved[0][1:]
        else:
            from nanokeras.metrics import Mean

            self.outputs = resolved
            # Keras adds (and tracks) the losses in the order of a loss dict's keys, else in output order.
            order = list(range(len(names)))
            if isinstance(self.spec, dict):
                keys = list(self.spec)
                order.sort(key=lambda i: keys.index(names[i]) if names[i] in keys else len(keys))
            self.order = [i for i in order if resolved[i][1] is not None]
            # Keras tracks each output's loss (`<output>_loss`) only when more than one output has a loss.
            if len(self.order) > 1:
                if named:
                    tracker_names = [f"{resolved[i][0]}_loss" for i in self.order]
                else:
                    tracker_names = _unique([f"{_loss_log_name(losses[i], resolved[i][1])}_loss" for i in self.order])
                self.trackers = [Mean(name=name) for name in tracker_names]
            self.without_loss = [i for i in range(len(names)) if resolved[i][1] is None] if self.order else []
        self.names = names

    @property
    def is_empty(self):
        return self.spec is None

    def __call__(self, y, y_pred, sample_weight=None):
        if self.single is not None:
            loss, weight = self.single
            if loss is None:
                return None
            total = loss(y, y_pred, sample_weight)
            if weight is not None:
                total = total * np.asarray(weight, dtype=np.asarray(value_of(total)).dtype)
            return total
        ys = align(y, self.names, "y")
        preds = align(y_pred, self.names, "y_pred")
        weights = align(sample_weight, self.names, "sample_weight") if isinstance(sample_weight, (list, dict)) \
            else [sample_weight] * len(self.names)
        total, trackers = None, iter(self.trackers)
        output_losses = []
        for i in self.order:
            (name, loss, weight), y_i, pred_i, w_i = self.outputs[i], ys[i], preds[i], weights[i]
            value = loss(y_i, pred_i, w_i)
            tracker = next(trackers, None)
            if tracker is not None:
                size = _batch_size(pred_i)
                tracker.update_state(value_of(value), sample_weight=size)  # inside the loss, as Keras
                output_losses.append((tracker, value, size))
            if weight is not None:
                value = value * np.asarray(weight, dtype=np.asarray(value_of(value)).dtype)
            total = value if total is None else total + value
        self.last_output_losses = output_losses
        for i in self.without_loss:
            total = _with_zero_gradient_to(total, preds[i])
        return total


class CompiledMetrics:
    """The compiled metrics, resolved per output once labels and predictions are seen."""

    def __init__(self, metrics, weighted_metrics):
        self.spec = metrics
        self.weighted_spec = weighted_metrics
        for spec, argument in ((metrics, "metrics"), (weighted_metrics, "weighted_metrics")):
            # In a list of several entries a None may stand for an output without metrics (known
            # once the outputs are); anywhere else it is refused now.
            if isinstance(spec, (list, tuple)) and len(spec) > 1:
                spec = [entry for entry in spec if entry is not None]
            is_leaf = lambda v: not isinstance(v, (list, tuple, dict)) or _is_metric_list(v)  # noqa: E731
            for leaf in _leaves(spec, is_leaf):
                _check_metric_list(leaf, argument)
        self.entries = None  # [(metric, weighted, output index or None)]

    def build(self, y, y_pred, names, named=True):
        if self.entries is not None:
            return
        from nanokeras.metrics.resolve import resolve_metric

        entries = []
        single = len(names) == 1 and not isinstance(y_pred, (list, tuple, dict))
        for spec, argument, weighted in ((self.spec, "metrics", False), (self.weighted_spec, "weighted_metrics", True)):
            if spec is None:
                continue
            if len(names) == 1:
                # As Keras: every metric given goes to the one output (a nested list or a dict too).
                per_output = [_flat_metric_spec(spec)]
            elif isinstance(spec, dict):
                per_output = _per_output(spec, names, argument, lambda v: False)
            elif isinstance(spec, (list, tuple)) and len(spec) == len(names):
                # As Keras: a list with one entry per output (a metric, a list of metrics or None
                # each) goes to the outputs in order, whether or not its entries are lists.
                per_output = list(spec)
            else:
                count = len(spec) if isinstance(spec, (list, tuple)) else 1
                raise ValueError(
                    f"`{argument}` for a model with {len(names)} outputs {names} must be a list with one "
                    f"entry per output (a metric, a list of metrics or None for each: {len(names)} entries) "
                    f"or a dict keyed by output name; got {count} entr{'y' if count == 1 else 'ies'}: {spec!r}."
                )
            ys = align(y, names, "y") if not single else [y]
            preds = align(y_pred, names, "y_pred") if not single else [y_pred]
            for index, (identifiers, y_i, pred_i) in enumerate(zip(per_output, ys, preds)):
                for identifier in _check_metric_list(identifiers, argument):
                    metric = resolve_metric(identifier, np.asarray(value_of(y_i)), np.asarray(value_of(pred_i)))
                    entries.append((metric, weighted, None if single else index))
        _name_uniquely(entries, names if len(names) > 1 and named else None)
        self.entries = entries
        self.names = names

    @property
    def metrics(self):
        return [metric for metric, _, _ in self.entries or ()]

    def update_state(self, y, y_pred, sample_weight):
        entries = self.entries
        if not entries:
            return
        if entries[0][2] is None:  # one output: the hot path
            y_pred = _value_with_mask(y_pred)
            for metric, weighted, _ in entries:
                metric.update_state(y, y_pred, sample_weight if weighted else None)
            return
        ys = align(y, self.names, "y")
        preds = align(y_pred, self.names, "y_pred")
        # As Keras: one weight array per output (a list or dict) goes to that output's weighted
        # metrics; one array (or None) to all of them.
        weights = align(sample_weight, self.names, "sample_weight") if isinstance(sample_weight, (list, tuple, dict)) \
            else [sample_weight] * len(self.names)
        for metric, weighted, index in entries:
            metric.update_state(ys[index], _value_with_mask(preds[index]), weights[index] if weighted else None)


def _unique(names):
    """`names` with a repeat numbered `_1`, `_2`, ... (Keras gives two unnamed outputs with the same
    loss one log key, the second's value hiding the first's; here both are kept)."""
    taken = {}
    return [_numbered(name, taken) for name in names]


def _numbered(name, taken):
    """`name`, or `name_1`, `name_2`, ... when `taken` has it; the result is then taken too."""
    if name in taken:
        count = taken[name]
        taken[name] += 1
        name = f"{name}_{count}"
    taken.setdefault(name, 1)
    return name


def _name_uniquely(entries, names):
    """Gives each compiled metric the log key Keras gives it (its `_log_key`): `<output>_<name>`
    with several outputs; a name already taken gets `_1`, `_2`, ... and a weighted metric whose
    name is taken becomes `weighted_<name>` (so `metrics=['accuracy'], weighted_metrics=['accuracy']` logs both)."""
    taken = {}
    for metric, weighted, index in entries:
        prefix = "" if names is None else f"{names[index]}_"
        name = prefix + metric.name
        if name in taken and weighted:
            name = f"{prefix}weighted_{metric.name}"
        name = _numbered(name, taken)
        # Keras keeps a metric's own name (the user's object, and the compile config saved with
        # the model, are unchanged) and gives only its log key the prefix and suffixes.
        metric._log_key = name


def _value_with_mask(y_pred):
    """The array behind `y_pred`, carrying `y_pred`'s mask (metrics skip padded steps, as Keras)."""
    value = value_of(y_pred)
    if value is not y_pred and masking.masks_in_use():
        mask = masking.get_keras_mask(y_pred)
        if mask is not None:
            masking.set_keras_mask(value, value_of(mask))
    return value


def _flat_metric_spec(spec):
    """The metrics of a one-output model as one list (nested lists and dict values, by sorted key, flattened)."""
    if isinstance(spec, dict):
        return [m for key in sorted(spec) for m in _flat_metric_spec(spec[key])]
    if isinstance(spec, (list, tuple)):
        return [m for item in spec for m in _flat_metric_spec(item)]
    return [spec]


def _is_metric_list(value):
    return isinstance(value, (list, tuple)) and all(not isinstance(v, (list, tuple, dict)) for v in value)


def _leaves(spec, is_leaf):
    if spec is None:
        return []
    if is_leaf(spec):
        return [spec]
    values = spec.values() if isinstance(spec, dict) else spec
    result = []
    for value in values:
        result.extend(_leaves(value, is_leaf))
    return result


def _with_zero_gradient_to(total, output):
    """`total` plus an exact 0 that depends on `output` (the sum of none of its entries).

    An output without a loss then gives its own weights zero gradients, as on Keras's JAX
    backend (which differentiates with respect to every trainable variable), instead of none:
    the optimizer steps them as Keras does (a zero step, weight decay still applied) and no
    "Gradients do not exist" warning names them. The value of `total` is unchanged."""
    value = value_of(output)
    if not isinstance(value, np.ndarray) or not np.issubdtype(value.dtype, np.floating) or value.ndim == 0:
        return total
    from nanokeras import ops

    nothing = ops.sum(ops.getitem(output, slice(0, 0)))
    dtype = np.asarray(value_of(total)).dtype
    if value.dtype != dtype:
        nothing = ops.cast(nothing, dtype)
    return total + nothing


def _batch_size(array):
    return int(np.shape(value_of(array))[0]) if np.ndim(value_of(array)) else 1
