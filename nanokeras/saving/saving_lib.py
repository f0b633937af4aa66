"""The `.keras` zip archive and the `.weights.h5` file, in Keras 3's exact layout.

Archive members: `metadata.json` (`keras_version`, `date_saved`), `config.json`
(the model serialized by `serialize_keras_object`), `model.weights.h5`, and
`assets/<object path>/...` for objects that save files (`save_assets(dir)` /
`load_assets(dir)`, e.g. a `TextVectorization`'s `vocabulary.txt`).

Weights are stored per object as `<path>/vars/<i>`. A layer's path is found as
Keras finds it: a `Sequential` keeps its layers under `layers/<snake class name>`
(`dense`, `dense_1`, ... numbered within the list, not by layer name); other
objects are walked attribute by attribute (public names sorted, then private),
sub-layers under their attribute name, lists under `<attr>/<snake class name>`;
the optimizer under `optimizer`. Each object is stored once, where first met.

Files are written atomically (a temporary file in the same directory, then
`os.replace`), so an interrupted save never leaves a half-written file.
"""

import datetime
import io
import json
import os
import tempfile
import warnings
import zipfile

import numpy as np

from nanokeras.backend.naming import to_snake_case
from nanokeras.saving import builtin_registry, directory_archive, h5_store, limits, sharded_weights
from nanokeras.saving.atomic_file import atomic_write
from nanokeras.saving.object_kinds import is_layer, is_model, is_optimizer, is_saveable, is_sequential

CONFIG_FILENAME = "config.json"
METADATA_FILENAME = "metadata.json"
WEIGHTS_FILENAME = "model.weights.h5"
# The Keras release whose `.keras` format these files follow.
KERAS_FORMAT_VERSION = "3.15.1"
# A zip member that declares far more bytes than it stores is a decompression bomb.
_BOMB_FLOOR_BYTES = 1 << 30
_BOMB_MAX_EXPANSION = 100

_skip_cache = {}


# ------------------------------------------------------------------- walking
def _skipset(obj):
    """Attribute names that belong to nanokeras's own machinery, not to the user's object."""
    kind = "model" if is_model(obj) else "layer"
    if kind not in _skip_cache:
        layer_class = builtin_registry.builtin_class("keras.layers", "Layer")
        if kind == "model":
            model_class = builtin_registry.builtin_class("keras", "Model")
            sequential_class = builtin_registry.builtin_class("keras", "Sequential")
            reference = sequential_class(name="__reference__")
            names = set(vars(reference)) | set(vars(model_class(name="__reference__"))) | set(dir(sequential_class))
        else:
            names = set(vars(layer_class(name="__reference__"))) | set(dir(layer_class))
        _skip_cache[kind] = names
    return _skip_cache[kind]


def _name_key(name):
    return "~" + name if name.startswith("_") else name


def _children(obj):
    """`(attribute name, value)` pairs to walk, in Keras's order."""
    if is_optimizer(obj):
        # a LossScaleOptimizer's inner optimizer: Keras stores its variables again under it
        inner = getattr(obj, "inner_optimizer", None)
        return [("inner_optimizer", inner)] if is_optimizer(inner) else []
    if not is_layer(obj):
        return []
    children = []
    if is_sequential(obj):
        children.append(("layers", obj.layers))
    skip = _skipset(obj)
    names = [n for n in vars(obj) if n not in skip and not n.startswith("__")]
    model = is_model(obj)
    if model:
        names += ["layers", "optimizer"]
    for name in sorted(set(names), key=_name_key):
        if name == "layers" and model:
            value = obj.layers
        else:
            value = vars(obj).get(name)
        children.append((name, value))
    return children


def _join(path, name):
    return f"{path}/{name}" if path else name


def collect_saveables(root):
    """`[(path, layer_or_optimizer)]` for `root` and everything it holds, each once."""
    result, visited = [], set()

    def visit(obj, path):
        if id(obj) in visited:
            return
        visited.add(id(obj))
        result.append((path, obj))
        for attr, child in _children(obj):
            if is_saveable(child):
                visit(child, _join(path, attr))
            elif isinstance(child, (list, tuple, dict)):
                visit_container(child, _join(path, attr), set())

    def visit_container(container, path, seen):
        if id(container) in seen:
            return
        seen.add(id(container))
        used = {}
        for item in (list(container.values()) if isinstance(container, dict) else container):
            if is_saveable(item):
                visit(item, _join(path, _unique(to_snake_case(type(item).__name__), used)))
            elif isinstance(item, (list, tuple, dict)):
                visit_container(item, _join(path, _unique("container", used)), seen)

    visit(root, "")
    return result


def _unique(name, used):
    if name in used:
        used[name] += 1
        return f"{name}_{used[name]}"
    used[name] = 0
    return name


def own_variables(obj):
    """The variables an object stores itself, in Keras's order."""
    if is_layer(obj):
        return obj._saved_variables()
    return obj.variables


# ------------------------------------------------------------------- weights
def write_weights(model, h5file):
    for path, obj in collect_saveables(model):
        name = obj.name if isinstance(getattr(obj, "name", None), str) else None
        if is_layer(obj) and hasattr(obj, "save_own_variables"):
            store = {}
            obj.save_own_variables(store)  # a user's layer may store more, under keys of its own
            h5_store.write_vars(h5file, path, name, store)
        else:
            h5_store.write_vars(h5file, path, name, [v.numpy() for v in own_variables(obj)])


def _loads_itself(obj):
    """Whether a layer's class overrides `load_own_variables` (then it reads its own store)."""
    method = getattr(type(obj), "load_own_variables", None)
    if getattr(obj, "lora_enabled", False):
        return True  # it zeroes its LoRA weights once the merged weight is in
    return is_layer(obj) and method is not None and not getattr(method, "_reads_saved_variables", False)


def read_weights(model, h5file, source, skip_mismatch=False):
    """Validates every weight in `h5file` against `model`, then assigns them all (or none); then
    hands layers that override `load_own_variables` their stores."""
    pending, own_loaders = [], []
    for path, obj in collect_saveables(model):
        label = f"{type(obj).__name__} {obj.name!r}" if hasattr(obj, "name") else type(obj).__name__
        group = h5_store.read_group(h5file, path, source)
        if _loads_itself(obj):
            own_loaders.append((obj, h5_store.ReadStore(group, path, source)))
            continue
        if is_optimizer(obj):
            if group is None:
                continue
            # An optimizer not built yet (a fresh model, compiled but not trained) is not built
            # here: as in Keras, its saved slots are skipped with a warning below, and training
            # after `load_weights` starts from a fresh optimizer.
        variables = own_variables(obj)
        if group is None:
            if variables:
                _mismatch(skip_mismatch, f"{source} has no weights for {label} (expected at '{h5_store.vars_path(path)}').")
            continue
        keys = h5_store.dataset_keys(group)
        if keys != [str(i) for i in range(len(keys))] or len(keys) != len(variables):
            message = (
                f"{label} has {len(variables)} variables, but {source} holds {len(keys)} at "
                f"'{h5_store.vars_path(path)}'."
            )
            if is_optimizer(obj) and _saved_before_first_step(group, keys, variables):
                variables = variables[:len(keys)]  # its counters; the slots are fresh on both sides
            elif is_optimizer(obj):
                if not getattr(obj, "built", True):
                    message += (" The optimizer is not built yet: train the model (or call "
                                "`model.optimizer.build(model.trainable_variables)`) before loading to restore it.")
                warnings.warn(f"Skipping the optimizer state: {message}", stacklevel=3)
                continue
            else:
                if not getattr(model, "built", True) and not variables:
                    message += " The model is not built: build it (call it on data or `model.build(input_shape)`) first."
                _mismatch(skip_mismatch, message)
                continue
        arrays = []
        try:
            for i, variable in enumerate(variables):
                where = f"{h5_store.vars_path(path)}/{i}"
                arrays.append(h5_store.read_dataset(group, str(i), variable.shape, source, where))
        except ValueError as error:
            if skip_mismatch and "Shape mismatch" in str(error):
                warnings.warn(f"Skipping {label}: {error}", stacklevel=3)
                continue
            raise
        pending.extend(zip(variables, arrays))
    warn_if_not_finite(pending, source)
    for variable, array in pending:
        variable.assign(array.astype(variable.dtype, copy=False))
    for obj, store in own_loaders:
        obj.load_own_variables(store)


def warn_if_not_finite(pairs, source):
    """One warning naming every variable whose loaded values hold NaN or infinity."""
    bad = [getattr(variable, "path", None) or getattr(variable, "name", "?")
           for variable, array in pairs
           if array.dtype.kind in "fc" and array.size and not np.isfinite(array).all()]
    if bad:
        shown = ", ".join(repr(name) for name in bad[:10]) + (f" and {len(bad) - 10} more" if len(bad) > 10 else "")
        warnings.warn(
            f"{source} holds NaN or infinite values in {len(bad)} variable(s): {shown}. They were loaded as "
            "they are; predictions that use them will be NaN/inf.",
            stacklevel=4,
        )


def _saved_before_first_step(group, keys, variables):
    """An optimizer saved unbuilt stores only its leading scalars (iteration, learning rate)."""
    if not keys or len(keys) >= len(variables) or keys != [str(i) for i in range(len(keys))]:
        return False
    return all(tuple(variables[i].shape) == () and getattr(group.get(key), "shape", None) == ()
               for i, key in enumerate(keys))


def _mismatch(skip, message):
    if skip:
        warnings.warn(f"Skipping: {message}", stacklevel=4)
        return
    raise ValueError(message)


def weights_bytes(model):
    """The `.weights.h5` file of `model` (weights and optimizer state), as bytes."""
    h5py = h5_store.h5py_module()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as h5file:
        write_weights(model, h5file)
    return buffer.getvalue()


def _open_h5_bytes(data, source):
    h5py = h5_store.h5py_module()
    try:
        return h5py.File(io.BytesIO(data), "r")
    except (OSError, ValueError) as error:
        raise ValueError(f"{source} is not a valid HDF5 weights file ({error}).") from None


# -------------------------------------------------------------------- writes
def serialize_model_json(model):
    from nanokeras.saving.serialization_lib import serialize_keras_object

    config_json = json.dumps(serialize_keras_object(model))
    metadata_json = json.dumps({
        "keras_version": KERAS_FORMAT_VERSION,
        "date_saved": datetime.datetime.now().strftime("%Y-%m-%d@%H:%M:%S"),
    })
    return config_json, metadata_json


def save_model(model, filepath, zipped=True):
    if not model.built:
        warnings.warn(
            "You are saving a model that has not yet been built; it contains no weights yet. "
            "Build it first, e.g. by calling it on data.",
            stacklevel=3,
        )
    config_json, metadata_json = serialize_model_json(model)
    weights = weights_bytes(model)
    assets = _collect_assets(model)

    members = [(METADATA_FILENAME, metadata_json.encode("utf-8")), (CONFIG_FILENAME, config_json.encode("utf-8")),
               (WEIGHTS_FILENAME, weights)] + list(assets)
    if not zipped:  # Keras's `zipped=False`: the same members as plain files in a directory
        directory_archive.write_directory(filepath, members)
        return

    def write(fileobj):
        with zipfile.ZipFile(fileobj, "w") as archive:
            for name, data in members:
                archive.writestr(name, data)

    atomic_write(filepath, write)


def save_weights_only(model, filepath, max_shard_size=None):
    data = weights_bytes(model)
    if max_shard_size is not None:
        sharded_weights.write(filepath, data, max_shard_size)
        return
    atomic_write(filepath, lambda fileobj: fileobj.write(data))


# --------------------------------------------------------------------- reads
def _open_archive(filepath):
    if directory_archive.is_model_directory(filepath):  # Keras's save_model(..., zipped=False)
        return directory_archive.DirectoryArchive(filepath)
    if not zipfile.is_zipfile(filepath):
        raise ValueError(
            f"{filepath!r} is not a `.keras` archive: it is not a valid zip file (corrupted, truncated, "
            "or another format)."
        )
    try:
        return zipfile.ZipFile(filepath, "r")
    except (zipfile.BadZipFile, OSError) as error:
        raise ValueError(f"{filepath!r} is not a readable `.keras` archive: {error}") from None


def _read_member(archive, name, filepath):
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ValueError(
            f"{filepath!r} is not a complete `.keras` archive: it has no {name!r} "
            f"(members: {archive.namelist()[:10]})."
        ) from None
    if info.file_size > _BOMB_FLOOR_BYTES and info.file_size > _BOMB_MAX_EXPANSION * max(info.compress_size, 1):
        raise ValueError(f"Refusing to read {name!r} in {filepath!r}: it looks like a decompression bomb.")
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ValueError(f"{filepath!r} is corrupted: cannot read {name!r} ({error}).") from None


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    from nanokeras.saving import serialization_lib

    source = repr(str(filepath))
    with _open_archive(filepath) as archive:
        config = parse_config(_read_member(archive, CONFIG_FILENAME, filepath), f"{source} ({CONFIG_FILENAME})")
        if not isinstance(config, dict) or "class_name" not in config:
            raise ValueError(f"{filepath!r}: {CONFIG_FILENAME} does not describe a model (no 'class_name').")
        if not compile:
            config["compile_config"] = None
        assets = _read_assets(archive, filepath)
        weights = None
        if WEIGHTS_FILENAME in archive.namelist():
            weights = _read_member(archive, WEIGHTS_FILENAME, filepath)
        elif "model.weights.npz" in archive.namelist():
            raise ValueError(f"{filepath!r} stores its weights as .npz, which nanokeras does not read; save with h5.")
    with limits.WeightBudget(len(weights or b""), source):
        model = serialization_lib.deserialize_keras_object(config, custom_objects=custom_objects, safe_mode=safe_mode)
    if not is_layer(model):
        raise ValueError(f"{filepath!r} describes a {type(model).__name__}, not a model.")
    if weights is not None:
        with _open_h5_bytes(weights, f"{filepath!r} ({WEIGHTS_FILENAME})") as h5file:
            read_weights(model, h5file, source)
    elif own_weight_count(model):
        raise ValueError(f"{filepath!r} has no {WEIGHTS_FILENAME}, but the model it describes has weights.")
    _load_assets(model, assets)
    return model


def parse_config(data, source):
    """The JSON config in `data` (bytes or str), checked against the load limits before use."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        config = json.loads(text)
    except RecursionError:
        raise limits.json_depth_error(source) from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"{source} is not valid JSON ({error}).") from None
    limits.check_config(config, source)
    return config


# -------------------------------------------------------------------- assets
ASSETS_DIRNAME = "assets"


def _collect_assets(model):
    """`[(archive name, bytes)]` of the files objects write with `save_assets(dir)` (e.g. a vocabulary)."""
    files = []
    for path, obj in collect_saveables(model):
        save = getattr(obj, "save_assets", None)
        if save is None:
            continue
        with tempfile.TemporaryDirectory() as directory:
            save(directory)
            for name in sorted(os.listdir(directory)):
                full = os.path.join(directory, name)
                if os.path.isfile(full):
                    with open(full, "rb") as f:
                        files.append((_join(_join(ASSETS_DIRNAME, path), name), f.read()))
    return files


def _read_assets(archive, filepath):
    """`{object path: {file name: bytes}}` of the archive's `assets/` members (plain files only)."""
    found = {}
    for name in archive.namelist():
        if not name.startswith(ASSETS_DIRNAME + "/") or name.endswith("/"):
            continue
        directory, _, filename = name[len(ASSETS_DIRNAME) + 1:].rpartition("/")
        if filename in ("", ".", "..") or ".." in directory.split("/"):
            continue
        found.setdefault(directory, {})[filename] = _read_member(archive, name, filepath)
    return found


def _load_assets(model, assets):
    """Hands each object the files saved under its path, in a temporary directory (`load_assets(dir)`)."""
    if not assets:
        return
    for path, obj in collect_saveables(model):
        load = getattr(obj, "load_assets", None)
        files = assets.get(path)
        if load is None or not files:
            continue
        with tempfile.TemporaryDirectory() as directory:
            for filename, data in files.items():
                with open(os.path.join(directory, filename), "wb") as f:
                    f.write(data)
            load(directory)


def own_weight_count(model):
    return sum(len(own_variables(obj)) for _, obj in collect_saveables(model) if is_layer(obj))


def load_weights_only(model, filepath, skip_mismatch=False):
    source = repr(str(filepath))
    if str(filepath).endswith(".keras"):
        with _open_archive(filepath) as archive:
            data = _read_member(archive, WEIGHTS_FILENAME, filepath)
    elif str(filepath).endswith(sharded_weights.SUFFIX):
        data = sharded_weights.merged_bytes(filepath)
    else:
        with open(filepath, "rb") as f:
            data = f.read()
    with _open_h5_bytes(data, source) as h5file:
        read_weights(model, h5file, source, skip_mismatch=skip_mismatch)
