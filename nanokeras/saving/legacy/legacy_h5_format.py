"""Keras 2's HDF5 files: `model.save('x.h5')` and `model.save_weights('w.h5')`, read and written.

A full model file holds, as root attributes, `keras_version`, `backend`,
`model_config` (the architecture as JSON) and `training_config` (the `compile`
arguments), then the groups `model_weights` and `optimizer_weights`. A weights
file is the `model_weights` group alone, at the root.

`model_weights` lists `layer_names`; each layer's group lists `weight_names`,
each the path of one dataset. A layer's weights are stored in Keras 2's order,
its trainable weights first, then the others (BatchNormalization: gamma, beta,
moving mean, moving variance), for nested models too.

Loading checks every shape before any weight is assigned (a failed load leaves
the model unchanged), reads only plain numeric data stored in the file, and is
bounded like `.keras` loading (see `nanokeras.saving.limits`).
"""

import io
import json
import os
import warnings

import numpy as np

from nanokeras.saving import h5_store, limits
from nanokeras.saving.atomic_file import atomic_write
from nanokeras.saving.legacy import legacy_config, training_config
from nanokeras.saving.object_kinds import is_layer

BACKEND_NAME = "numpy"
SAVE_NOTICE = (
    "You are saving your model as an HDF5 file via `model.save()` or `keras.saving.save_model(model)`. "
    "This file format is considered legacy. We recommend using instead the native Keras format, e.g. "
    "`model.save('my_model.keras')` or `keras.saving.save_model(model, 'my_model.keras')`."
)
SAVE_WEIGHTS_NOTICE = (
    "You are saving weights as a legacy Keras 2 HDF5 file (`.h5`). Keras 3 reads such files but no longer "
    "writes them; we recommend `model.save_weights('my_model.weights.h5')`."
)


def legacy_weights(layer):
    """A layer's weights in Keras 2's order: trainable first, then the others."""
    return list(layer.trainable_weights) + list(layer.non_trainable_weights)


def _own_legacy_weights(model):
    own = list(getattr(model, "_own_weights", []))
    return [w for w in own if w.trainable and model.trainable] + [w for w in own if not (w.trainable and model.trainable)]


# --------------------------------------------------------------------- reading
def open_file(filepath):
    h5py = h5_store.h5py_module()
    try:
        return h5py.File(filepath, "r")
    except (OSError, ValueError) as error:
        raise ValueError(
            f"{filepath!r} is not a readable HDF5 file (truncated, corrupted, or another format): {error}"
        ) from None


def file_version(h5file, source):
    """The Keras version that wrote the file, checked to be one whose layout nanokeras reads."""
    version = h5file.attrs.get("keras_version")
    if isinstance(version, bytes):
        version = version.decode("utf-8", "replace")
    major = str(version).split(".")[0] if isinstance(version, str) else None
    if major not in ("2", "3"):
        raise ValueError(
            f"{source} says it was written by keras_version={version!r}; nanokeras reads the HDF5 files of "
            "Keras 2.x / tf.keras 2.x and of Keras 3's legacy writer only."
        )
    return version


class _LayerWeights:
    """The weights a file stores for one layer: names listed in `weight_names`, datasets beside them."""

    def __init__(self, group, name, source):
        self.name = name
        self.source = source
        self.group = h5_store.walk(group, name, source)
        if self.group is None:
            raise ValueError(f"{source} lists layer {name!r} in 'layer_names' but has no group for it.")
        self.weight_names = h5_store.attribute_list(self.group, "weight_names")

    def datasets(self):
        result = []
        for weight_name in self.weight_names:
            parent, _, leaf = weight_name.rpartition("/")
            container = h5_store.walk(self.group, parent, self.source) if parent else self.group
            if container is None or leaf not in container:
                raise ValueError(f"{self.source} lists weight {weight_name!r} of layer {self.name!r} but does not store it.")
            result.append(h5_store.checked_dataset(container, leaf, self.source, f"{self.name}/{weight_name}"))
        return result


def _file_layers(group, source):
    names = h5_store.attribute_list(group, "layer_names")
    if len(names) > limits.get_load_limits()["max_layers"]:
        raise ValueError(f"Refusing to load {source}: it lists {len(names):,} layers, beyond the limit "
                         f"`max_layers={limits.get_load_limits()['max_layers']:,}`.")
    return [layer for layer in (_LayerWeights(group, name, source) for name in names) if layer.weight_names]


def _shapes(items):
    return [tuple(x.shape) for x in items]


def _match(layer, stored, source, skip_mismatch, label):
    """`[(variable, dataset)]` for one layer, or [] when skipped; raises on a mismatch otherwise."""
    variables = legacy_weights(layer) if is_layer(layer) else _own_legacy_weights(layer)
    datasets = stored.datasets()
    problem = None
    if len(datasets) != len(variables):
        problem = (f"{label} expects {len(variables)} weight(s) {_shapes(variables)}, but {source} holds "
                   f"{len(datasets)} for layer {stored.name!r}: {_shapes(datasets)}")
    else:
        for variable, dataset in zip(variables, datasets):
            if tuple(variable.shape) != tuple(dataset.shape):
                problem = (f"{label}: weight {getattr(variable, 'path', variable.name)!r} has shape "
                           f"{tuple(variable.shape)}, but {source} stores shape {tuple(dataset.shape)} for it "
                           f"(layer {stored.name!r} in the file)")
                break
    if problem is None:
        return list(zip(variables, datasets))
    if skip_mismatch:
        warnings.warn(f"Skipping {problem}.", stacklevel=5)
        return []
    raise ValueError(f"{problem}. Was the file saved from a model with a different architecture?")


def load_weights_from_group(model, group, source, by_name=False, skip_mismatch=False):
    """Loads Keras 2 layer weights into `model`: all checked first, then all assigned (or none)."""
    stored_layers = _file_layers(group, source)
    plan = []
    if by_name:
        by_layer_name = {}
        for layer in model.layers:
            by_layer_name.setdefault(layer.name, []).append(layer)
        for stored in stored_layers:
            for layer in by_layer_name.get(stored.name, []):
                plan.extend(_match(layer, stored, source, skip_mismatch, f"Layer {layer.name!r}"))
    else:
        layers = [layer for layer in model.layers if legacy_weights(layer)]
        if len(layers) != len(stored_layers):
            raise ValueError(
                f"{source} holds weights for {len(stored_layers)} layer(s) {[s.name for s in stored_layers][:20]}, "
                f"but the model has {len(layers)} layer(s) with weights {[layer.name for layer in layers][:20]}. "
                "Was it saved from another architecture? `by_name=True` loads the layers whose names match."
            )
        for position, (layer, stored) in enumerate(zip(layers, stored_layers)):
            label = f"Layer #{position} {layer.name!r}"
            plan.extend(_match(layer, stored, source, skip_mismatch, label))
    top = h5_store.walk(group, "top_level_model_weights", source)
    if top is not None:
        stored = _LayerWeights(group, "top_level_model_weights", source)
        if stored.weight_names or _own_legacy_weights(model):
            plan.extend(_match(model, stored, source, skip_mismatch, f"Model {model.name!r} (its own weights)"))
    pairs = [(variable, np.asarray(dataset[()])) for variable, dataset in plan]
    from nanokeras.saving.saving_lib import warn_if_not_finite

    warn_if_not_finite(pairs, source)
    for variable, array in pairs:
        variable.assign(array.astype(variable.dtype, copy=False))


def load_weights(model, filepath, by_name=False, skip_mismatch=False):
    """`model.load_weights('w.h5')` for a Keras 2 weights file (or a Keras 2 full model file)."""
    source = repr(str(filepath))
    with open_file(filepath) as h5file:
        group = h5file
        if "layer_names" not in h5file.attrs and h5_store.walk(h5file, "model_weights", source) is not None:
            group = h5file["model_weights"]  # a full model file: use its weights
        if "layer_names" not in group.attrs and "layer_names0" not in group.attrs:
            raise ValueError(
                f"{source} is not a Keras 2 weights file (no 'layer_names'). Keras 3 weights files end in "
                "`.weights.h5`; rename it if that is what it holds."
            )
        if "keras_version" in group.attrs:
            file_version(group, source)
        load_weights_from_group(model, group, source, by_name=by_name, skip_mismatch=skip_mismatch)


def _attribute_text(h5file, name):
    value = h5file.attrs.get(name)
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
        value = value.decode("utf-8") if isinstance(value, bytes) else value
    return value


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """A model from a Keras 2 / tf.keras / Keras 3 legacy `.h5` file."""
    from nanokeras.saving import saving_lib, serialization_lib

    source = repr(str(filepath))
    with open_file(filepath) as h5file:
        model_config = _attribute_text(h5file, "model_config")
        if model_config is None:
            raise ValueError(
                f"{source} holds no model config ('model_config'): it is a weights file. Build the model and "
                "call `model.load_weights(...)` instead."
            )
        version = file_version(h5file, source)
        config = saving_lib.parse_config(model_config, f"{source} (model_config)")
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"{source}: its model_config does not describe a model (no 'class_name').")
        hard_sigmoid_layers = legacy_config.layers_using_keras2_hard_sigmoid(config) if version.startswith("2") else []
        if hard_sigmoid_layers:
            warnings.warn(
                f"{source} was written by Keras {version}, and layers {hard_sigmoid_layers} use 'hard_sigmoid', "
                "which Keras 2 computed as clip(0.2 * x + 0.5, 0, 1) and Keras 3 computes as "
                "clip(x / 6 + 0.5, 0, 1). The loaded model uses Keras 3's (as Keras 3 would), so its outputs "
                "differ from Keras 2's. For a model that means the same in both, rebuild it with activation='sigmoid' and "
                "retrain it.",
                stacklevel=3)
        weights_group = h5_store.walk(h5file, "model_weights", source)
        if weights_group is None:
            raise ValueError(f"{source} has a model config but no 'model_weights' group: the file is incomplete.")
        config = legacy_config.from_keras2(config)
        with limits.WeightBudget(os.path.getsize(filepath), source):
            model = serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects,
                                                               safe_mode=safe_mode)
        if not is_layer(model) or not hasattr(model, "layers"):
            raise ValueError(f"{source} describes a {type(model).__name__}, not a model.")
        load_weights_from_group(model, weights_group, source)
        if compile:
            text = _attribute_text(h5file, "training_config")
            if text is None:
                warnings.warn(f"No training configuration found in {source}, so the model was *not* compiled. "
                              "Compile it manually.", stacklevel=4)
            else:
                settings = saving_lib.parse_config(text, f"{source} (training_config)")
                training_config.compile_from_training_config(model, settings, custom_objects, source)
                training_config.load_optimizer_weights(model, h5file, source)
    return model


# --------------------------------------------------------------------- writing
def _unique_names(variables):
    used, names = set(), []
    for variable in variables:
        base = str(getattr(variable, "path", None) or variable.name)
        name, index = base, 1
        while name in used:
            name, index = f"{base}_{index}", index + 1
        used.add(name)
        names.append(name)
    return names


def _write_weights(group, variables):
    names = _unique_names(variables)
    h5_store.write_attribute_list(group, "weight_names", names)
    for name, variable in zip(names, variables):
        group.create_dataset(name, data=np.asarray(variable.numpy()))


def save_weights_to_group(model, group):
    from nanokeras.saving.saving_lib import KERAS_FORMAT_VERSION

    layers = list(model.layers)
    h5_store.write_attribute_list(group, "layer_names", [layer.name for layer in layers])
    group.attrs["backend"] = BACKEND_NAME.encode("utf-8")
    group.attrs["keras_version"] = KERAS_FORMAT_VERSION.encode("utf-8")
    for layer in sorted(layers, key=lambda layer: layer.name):
        _write_weights(group.create_group(layer.name), legacy_weights(layer))
    _write_weights(group.create_group("top_level_model_weights"), _own_legacy_weights(model))


def _h5_bytes(fill):
    h5py = h5_store.h5py_module()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        fill(h5file)
    return buffer.getvalue()


def save_model(model, filepath, include_optimizer=True):
    """Writes `model` as a legacy `.h5` file that Keras 3 and tf-keras (Keras 2) load."""
    from nanokeras.saving.saving_lib import KERAS_FORMAT_VERSION
    from nanokeras.saving.serialization_lib import serialize_keras_object

    warnings.warn(SAVE_NOTICE, stacklevel=4)
    model_config = json.dumps(legacy_config.to_keras2(serialize_keras_object(model)))
    settings = training_config.training_config(model) if getattr(model, "compiled", False) else None

    def fill(h5file):
        h5file.attrs["backend"] = BACKEND_NAME.encode("utf-8")
        h5file.attrs["keras_version"] = KERAS_FORMAT_VERSION.encode("utf-8")
        h5file.attrs["model_config"] = model_config.encode("utf-8")
        if settings is not None:
            h5file.attrs["training_config"] = json.dumps(settings).encode("utf-8")
        save_weights_to_group(model, h5file.create_group("model_weights"))
        if include_optimizer and settings is not None:
            training_config.save_optimizer_weights(model, h5file)

    data = _h5_bytes(fill)
    atomic_write(filepath, lambda f: f.write(data))


def save_weights(model, filepath):
    """Writes the weights of `model` as a Keras 2 `.h5` weights file (what `load_weights` of both reads)."""
    warnings.warn(SAVE_WEIGHTS_NOTICE, stacklevel=4)
    data = _h5_bytes(lambda h5file: save_weights_to_group(model, h5file))
    atomic_write(filepath, lambda f: f.write(data))
