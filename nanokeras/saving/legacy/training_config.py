"""The `training_config` and `optimizer_weights` of legacy `.h5` files, read and written.

Keras 2 / tf.keras wrote the `compile` arguments with their own names: metrics as
`[[{"class_name": "MeanMetricWrapper", "config": {"name": "acc", "fn": ...}}]]` (a
list per output), losses with `reduction="auto"`, optimizers as `Custom>Adam`
with Keras 2 arguments (`lr`, `decay`, `jit_compile`, ...). They are translated
to what nanokeras compiles, with the same names in the training logs. Optimizer
state is restored when its variables can be matched one for one (same slots,
same shapes, same order); otherwise a warning says the optimizer starts fresh.
"""

import warnings

import numpy as np

from nanokeras.saving import builtin_registry, h5_store
from nanokeras.saving.object_registration import get_registered_object
from nanokeras.saving.serialization_lib import deserialize_keras_object, serialize_keras_object

_OPTIMIZERS = ("SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "Nadam", "Ftrl", "Lion")
# Keras 2 optimizer arguments Keras 3 has no use for.
_KERAS2_OPTIMIZER_ONLY = ("jit_compile", "is_legacy_optimizer")
# Optimizer arguments that tf-keras's `.h5` loader does not take (it builds its legacy
# optimizers from such files), dropped from written files when they have their default.
_NEWER_OPTIMIZER_ONLY = {"loss_scale_factor": None, "gradient_accumulation_steps": None, "weight_decay": None,
                         "use_ema": False, "ema_momentum": 0.99, "ema_overwrite_frequency": None}
# Keras 2 slot names -> the suffix Keras 3 (and nanokeras) give the same slot.
_SLOTS = {"m": "momentum", "v": "velocity", "vhat": "velocity_hat", "u": "norm", "momentum": "momentum",
          "velocity": "velocity", "average_gradient": "average_gradient", "accumulator": "accumulator",
          "linear": "linear", "accumulated_grad": "accumulated_grad",
          "accumulated_delta_var": "accumulated_delta_var",
          "rms": "velocity", "mg": "average_gradient"}  # Keras 2's (legacy) RMSprop
_COUNTERS = ("iteration", "iter", "iterations")


class _Unmappable(Exception):
    """The saved optimizer state does not fit the optimizer: it starts fresh."""


# ------------------------------------------------------------------ compiling
def _optimizer(config, custom_objects, source):
    if isinstance(config, str):
        config = {"class_name": config, "config": {}}
    if not isinstance(config, dict) or not isinstance(config.get("class_name"), str):
        raise ValueError(f"{source}: the optimizer config {config!r:.200} is not an optimizer.")
    class_name = config["class_name"]
    custom = custom_objects or {}
    if class_name not in custom and class_name.startswith("Custom>"):
        class_name = class_name[len("Custom>"):]  # tf-keras 2.11+ writes its built-ins this way
    if class_name not in custom:
        class_name = {name.lower(): name for name in _OPTIMIZERS}.get(class_name.lower(), class_name)
    settings = dict(config.get("config") or {})
    for key in _KERAS2_OPTIMIZER_ONLY:
        settings.pop(key, None)
    if "lr" in settings:
        settings.setdefault("learning_rate", settings.pop("lr"))
    decay = settings.pop("decay", 0.0)
    if isinstance(settings.get("learning_rate"), dict):
        schedule = dict(settings["learning_rate"])
        schedule.setdefault("module", "keras.optimizers.schedules")
        settings["learning_rate"] = schedule
    if decay:
        # Keras 2's `decay`: lr / (1 + decay * iterations), which is InverseTimeDecay with one step.
        settings["learning_rate"] = {
            "module": "keras.optimizers.schedules", "class_name": "InverseTimeDecay",
            "config": {"initial_learning_rate": settings.get("learning_rate", 0.001), "decay_steps": 1,
                       "decay_rate": decay}}
    try:
        return deserialize_keras_object({"module": "keras.optimizers", "class_name": class_name,
                                         "config": settings, "registered_name": config["class_name"]},
                                        custom_objects=custom_objects)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{source}: cannot rebuild the optimizer it was compiled with ({error}). "
                         "Load it with `compile=False` and compile it yourself.") from None


def _loss(value, custom_objects):
    if isinstance(value, list):
        return [_loss(v, custom_objects) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _loss(v, custom_objects) for k, v in value.items()}
    if isinstance(value, dict):
        settings = dict(value.get("config") or {})
        if settings.get("reduction") == "auto":
            settings["reduction"] = "sum_over_batch_size"
        if builtin_registry.find_class("keras.losses", value["class_name"]) is not None:
            settings.pop("fn", None)  # a built-in loss class knows its function
        value = dict(value, config=settings)
        value.setdefault("module", "keras.losses")
        return deserialize_keras_object(value, custom_objects=custom_objects)
    return _registered(value, custom_objects)


def _registered(name, custom_objects):
    """The object a string of the file names when it is registered or passed in `custom_objects`
    (Keras 3 writes a registered loss or metric function as `'package>name'`); else the string,
    for `compile` to resolve as a built-in name."""
    if not isinstance(name, str):
        return name
    found = get_registered_object(name, custom_objects)
    if found is None:
        return name
    return found() if isinstance(found, type) else found


def _metric_name(name):
    """A name nanokeras's `compile` resolves to a built-in metric, or None."""
    if not isinstance(name, str):
        return None
    if name.lower() in ("acc", "accuracy", "crossentropy", "ce", "mae", "mse", "mape", "msle", "kld", "cosine",
                        "logcosh", "kullback_leibler_divergence", "cosine_similarity"):
        return name  # the short names `compile` resolves (Keras 2's aliases are not module attributes)
    if builtin_registry.find_function("keras.metrics", name) or builtin_registry.find_function("keras.losses", name):
        return name
    return None


def _without_output_prefix(value, output):
    """Keras 2 writes a multi-output model's metrics named with their output (`reg_mae` for 'mae'
    on output 'reg'); `compile` adds that prefix again, so it goes here (else `reg_reg_mae`)."""
    prefix = f"{output}_" if isinstance(output, str) and output else None
    if prefix is None or not isinstance(value, dict) or not isinstance(value.get("config"), dict):
        return value
    name = value["config"].get("name")
    if isinstance(name, str) and name.startswith(prefix) and len(name) > len(prefix):
        value = dict(value, config=dict(value["config"], name=name[len(prefix):]))
    return value


def _metric(value, custom_objects, source, output=None):
    if isinstance(value, str):
        return _registered(value, custom_objects)
    if not isinstance(value, dict) or not isinstance(value.get("class_name"), str):
        raise ValueError(f"{source}: cannot read the metric {value!r:.200} of its training config.")
    value = _without_output_prefix(value, output)
    settings = value.get("config") if isinstance(value.get("config"), dict) else {}
    if value["class_name"] == "MeanMetricWrapper":
        name, fn = settings.get("name"), settings.get("fn")
        if _metric_name(name):
            return name  # Keras 2 wrapped 'acc', 'mae', ... this way; the logs keep the name
        function = (custom_objects or {}).get(fn) or builtin_registry.find_function("keras.metrics", fn)
        if function is None:
            raise ValueError(f"{source} was compiled with the metric {name!r} (function {fn!r}), which is not "
                             "built in: pass it in `custom_objects`, or load with `compile=False`.")
        wrapper = builtin_registry.find_class("keras.metrics", "MeanMetricWrapper")
        return wrapper(fn=function, name=name)
    value = dict(value)
    value.setdefault("module", "keras.metrics")
    return deserialize_keras_object(value, custom_objects=custom_objects)


def _metrics(value, custom_objects, source, outputs, output_names=()):
    if value is None:
        return None
    if isinstance(value, dict):
        return {k: _metrics(v, custom_objects, source, 1) for k, v in value.items()}
    if not isinstance(value, list):
        return [_metric(value, custom_objects, source)]
    if value and all(isinstance(v, list) for v in value):  # Keras 2: one list per output
        names = list(output_names) if outputs > 1 and len(output_names) == len(value) else [None] * len(value)
        # (tf-keras writes `[null]` for an output without weighted metrics)
        per_output = [[_metric(m, custom_objects, source, name) for m in v if m is not None]
                      for v, name in zip(value, names)]
        return per_output[0] if outputs == 1 and len(per_output) == 1 else per_output
    return [_metric(m, custom_objects, source) for m in value]


def compile_from_training_config(model, settings, custom_objects, source):
    """Compiles `model` as the file's `training_config` says (Keras 2 or Keras 3 names)."""
    if not isinstance(settings, dict):
        raise ValueError(f"{source}: its training_config is not a dict of compile arguments.")
    outputs = len(getattr(model, "outputs", None) or [None])
    output_names = list(getattr(model, "output_names", None) or [])
    model.compile(
        optimizer=_optimizer(settings.get("optimizer_config"), custom_objects, source),
        loss=_loss(settings.get("loss"), custom_objects),
        metrics=_metrics(settings.get("metrics"), custom_objects, source, outputs, output_names),
        weighted_metrics=_metrics(settings.get("weighted_metrics"), custom_objects, source, outputs,
                                  output_names),
        loss_weights=settings.get("loss_weights"),
    )
    if getattr(model, "built", False) and model.optimizer is not None:
        model.optimizer.build(model.trainable_weights)


def training_config(model):
    """`model`'s compile arguments as a legacy `training_config` that tf-keras and Keras 3 read."""
    from nanokeras.saving.legacy.legacy_config import to_keras2

    compiled = model.get_compile_config()
    optimizer = serialize_keras_object(model.optimizer)
    optimizer_settings = dict(optimizer["config"])
    for key, default in _NEWER_OPTIMIZER_ONLY.items():
        unused = key.startswith("ema_") and not optimizer_settings.get("use_ema")
        if key in optimizer_settings and (optimizer_settings[key] == default or unused):
            del optimizer_settings[key]
    return {
        "loss": _canonical_losses(to_keras2(compiled.get("loss"))),
        "metrics": to_keras2(compiled.get("metrics")),
        "weighted_metrics": to_keras2(compiled.get("weighted_metrics")),
        "loss_weights": compiled.get("loss_weights"),
        "optimizer_config": {"class_name": optimizer["class_name"], "config": to_keras2(optimizer_settings)},
    }


def _canonical_losses(value):
    """Loss aliases written by their function's name: Keras 3's `.h5` loader cannot read `'mse'`."""
    if isinstance(value, list):
        return [_canonical_losses(v) for v in value]
    if isinstance(value, dict) and "class_name" not in value:
        return {k: _canonical_losses(v) for k, v in value.items()}
    if isinstance(value, str):
        value = _LOSS_ALIASES.get(value, value)
        function = builtin_registry.find_function("keras.losses", value)
        name = getattr(function, "__name__", value)
        if function is not None and builtin_registry.find_function("keras.losses", name) is function:
            return name
    return value


# Short names `compile` accepts, by the function they name (Keras 2's module aliases are not
# attributes of `keras.losses` in Keras 3, so the registry does not know them).
_LOSS_ALIASES = {
    "mse": "mean_squared_error", "mae": "mean_absolute_error", "mape": "mean_absolute_percentage_error",
    "msle": "mean_squared_logarithmic_error", "kld": "kl_divergence", "kullback_leibler_divergence": "kl_divergence",
    "logcosh": "log_cosh", "bce": "binary_crossentropy",
}


# ---------------------------------------------------------- optimizer weights
def save_optimizer_weights(model, h5file):
    """Writes the optimizer's variables in Keras 3's order (what Keras 3's `.h5` loader restores)."""
    from nanokeras.saving.legacy.legacy_h5_format import _unique_names

    optimizer = getattr(model, "optimizer", None)
    variables = list(getattr(optimizer, "variables", None) or [])
    if not variables or not getattr(optimizer, "built", False):
        return
    group = h5file.create_group("optimizer_weights")
    names = _unique_names(variables)
    h5_store.write_attribute_list(group, "weight_names", names)
    for name, variable in zip(names, variables):
        group.create_dataset(name, data=np.asarray(variable.numpy()))


def _base_name(name):
    return name[:-2] if name.endswith(":0") else name


def _slot_and_reference(name):
    """`(Keras 3 slot suffix, reference variable path)` of a Keras 2 optimizer weight name, or None.

    tf-keras 2.11+ writes `Adam/m/dense/kernel:0`; earlier Keras 2 wrote `Adam/dense/kernel/m:0`.
    """
    parts = _base_name(name).split("/")
    if len(parts) >= 3 and parts[1] in _SLOTS:
        return _SLOTS[parts[1]], "/".join(parts[2:])
    if len(parts) >= 3 and parts[-1] in _SLOTS:
        return _SLOTS[parts[-1]], "/".join(parts[1:-1])
    return None


def _by_reference(remaining, slots):
    """Pairs matched by (model variable, slot) names, or None when the names do not say."""
    targets, tails = {}, {}
    for variable in remaining:
        targets[variable.name] = None if variable.name in targets else variable  # None: ambiguous
        # A slot's name starts with its variable's path, which in a Sequential or subclassed model
        # starts with the model's name (`sequential_dense_kernel_momentum`); Keras 2 named the
        # variable without it (`dense/kernel`): the name's tails after an underscore match too.
        parts = variable.name.split("_")
        for start in range(1, len(parts)):
            tail = "_".join(parts[start:])
            tails[tail] = None if tails.get(tail, variable) is not variable else variable
    pairs, used = [], set()
    for name, dataset in slots:
        parsed = _slot_and_reference(name)
        key = f"{parsed[1].replace('/', '_')}_{parsed[0]}" if parsed else None
        target = targets[key] if key in targets else tails.get(key)
        if target is None or id(target) in used:
            return None
        if tuple(target.shape) != dataset.shape:
            raise _Unmappable(f"{name!r} has shape {dataset.shape}, {target.name!r} has {tuple(target.shape)}")
        used.add(id(target))
        pairs.append((target, dataset))
    return pairs if len(used) == len(remaining) else None


# tf-keras weight names that Keras 3 (and nanokeras) changed: DepthwiseConv2D's kernel.
_WEIGHT_ALIASES = {"depthwise_kernel": "kernel"}


def _by_position(remaining, slots):
    """Pairs in order, when each file slot's weight name and slot kind end its variable's name.

    tf-keras names slots after its own layer paths (`bidirectional/backward_gru/...`,
    `time_distributed/kernel`), which are not nanokeras's; it writes them in the model's
    weight order, as nanokeras keeps them. Returns None when any pair disagrees."""
    if len(remaining) != len(slots):
        return None
    pairs = []
    for target, (name, dataset) in zip(remaining, slots):
        parsed = _slot_and_reference(name)
        if parsed is None or tuple(target.shape) != dataset.shape:
            return None
        weight = parsed[1].split("/")[-1]
        names = {f"{w}_{parsed[0]}" for w in (weight, _WEIGHT_ALIASES.get(weight, weight))}
        if not any(target.name == n or target.name.endswith(f"_{n}") for n in names):
            return None
        pairs.append((target, dataset))
    return pairs


def _mapping(optimizer, saved):
    """`[(variable, dataset)]` that restores `saved` into `optimizer`, or raises `_Unmappable`."""
    targets = list(optimizer.variables)
    if len(saved) == len(targets) and all(tuple(v.shape) == d.shape for v, (_, d) in zip(targets, saved)):
        return [(v, d) for v, (_, d) in zip(targets, saved)]  # Keras 3's order (and nanokeras's)
    iterations = optimizer.iterations
    learning_rate = getattr(optimizer, "_learning_rate", None)
    pairs, counters, slots = [], [], []
    for name, dataset in saved:
        base = _base_name(name).split("/")[-1]
        (counters if base in _COUNTERS else slots).append((name, dataset))
    if len(counters) > 1:
        raise _Unmappable(f"it holds {len(counters)} iteration counters")
    pairs.extend((iterations, d) for _, d in counters)
    derived = getattr(optimizer, "_u_product", None)  # Nadam's: recomputed from the step count
    remaining = [v for v in targets if v is not iterations and v is not learning_rate and v is not derived]
    if not slots:
        return pairs  # saved before its first step: the slots are as fresh as ours
    if not remaining and getattr(optimizer, "momentum", None) == 0 and all(
            (_slot_and_reference(name) or ("",))[0] == "momentum" for name, _ in slots):
        return pairs  # tf-keras's SGD keeps momentum slots even without momentum; they change nothing
    if len(remaining) != len(slots):
        raise _Unmappable(f"it holds {len(slots)} slot variables, the optimizer has {len(remaining)}")
    matched = _by_reference(remaining, slots) or _by_position(remaining, slots)
    if matched is None:
        raise _Unmappable("its variable names do not match the model's")
    return pairs + matched


def load_optimizer_weights(model, h5file, source):
    """Restores the optimizer state of a legacy file, or warns that the optimizer starts fresh."""
    group = h5_store.walk(h5file, "optimizer_weights", source)
    optimizer = getattr(model, "optimizer", None)
    if group is None or optimizer is None:
        return
    names = h5_store.attribute_list(group, "weight_names")
    saved = []
    for name in names:
        parent, _, leaf = name.rpartition("/")
        container = h5_store.walk(group, parent, source) if parent else group
        if container is None or leaf not in container:
            raise ValueError(f"{source} lists optimizer weight {name!r} but does not store it.")
        saved.append((name, h5_store.checked_dataset(container, leaf, source, f"optimizer_weights/{name}")))
    try:
        if not getattr(optimizer, "built", False):
            optimizer.build(model.trainable_weights)
        pairs = _mapping(optimizer, saved)
    except _Unmappable as reason:
        warnings.warn(
            f"The optimizer state in {source} cannot be mapped onto {type(optimizer).__name__} ({reason}); "
            "the model is compiled, but the optimizer starts fresh.", stacklevel=5)
        return
    arrays = [(variable, np.asarray(dataset[()])) for variable, dataset in pairs]
    for variable, array in arrays:
        variable.assign(array.astype(variable.dtype, copy=False))
    if hasattr(optimizer, "_recompute_u_product") and not any(v is optimizer._u_product for v, _ in pairs):
        optimizer._recompute_u_product()
