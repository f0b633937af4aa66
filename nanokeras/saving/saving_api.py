"""`keras.saving.save_model` / `load_model` / `save_weights` / `load_weights`: checked entry points.

Example:
    >>> import os, tempfile, numpy as np, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.keras")
    >>> model.save(path)
    >>> restored = keras.saving.load_model(path)
    >>> x = np.ones((1, 2), dtype="float32")
    >>> bool(np.allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0)))
    True
"""

import os
import warnings

from nanokeras.saving import directory_archive, saving_lib
from nanokeras.saving.deserialization_error import DeserializationError
from nanokeras.saving.model_file_not_found import ModelFileNotFoundError
from nanokeras.utils import keras2_notes
from nanokeras.saving.object_kinds import is_layer


# Errors a malformed file can provoke deep inside the loader; they reach the user as a
# ValueError naming the file, never bare.
_MALFORMED = (KeyError, IndexError, AttributeError, TypeError, RecursionError, MemoryError, OverflowError)


def _reading(filepath, load):
    """Runs `load()`, turning the errors of a malformed file into a ValueError naming it."""
    try:
        with keras2_notes.reading_a_file():  # the file's spellings are not the user's code
            return load()
    except ValueError as error:
        if str(filepath) in str(error):
            raise
        # A config that cannot be deserialized keeps its type (a TypeError too, as in Keras).
        wrapper = DeserializationError if isinstance(error, DeserializationError) else ValueError
        raise wrapper(f"Could not load {filepath!r}: {error}") from None
    except _MALFORMED as error:
        detail = str(error)[:300]
        raise ValueError(
            f"Could not load {filepath!r}: the file is malformed or describes something nanokeras "
            f"cannot build ({type(error).__name__}: {detail})."
        ) from None


def _check_path(filepath, argument="filepath"):
    if isinstance(filepath, os.PathLike):
        filepath = os.fspath(filepath)
    if not isinstance(filepath, str) or not filepath:
        raise TypeError(f"`{argument}` must be a path (str or os.PathLike), got {filepath!r}.")
    return filepath


def _check_model(model, function):
    if not is_layer(model):
        raise TypeError(f"`{function}` expects a keras Model, got {type(model).__name__}.")


def save_model(model, filepath, overwrite=True, zipped=None, **kwargs):
    """Saves `model` (architecture, weights, compile settings, optimizer state) to a `.keras` file.

    A path ending in `.h5` or `.hdf5` writes the legacy Keras 2 HDF5 format instead
    (with Keras 3's deprecation notice), which Keras 3 and tf-keras (Keras 2) load.

    Args:
        model: the model to save.
        filepath: a path ending in `.keras` (or `.h5` / `.hdf5`).
        overwrite: if False and `filepath` exists, raise instead of replacing it.
        zipped: False writes the archive's members as plain files in the directory `filepath`
            (Keras 3's unzipped form), which `load_model(filepath)` reads back.
        include_optimizer: for `.h5`, also store the optimizer's state (default True).

    Example:
        >>> import os, tempfile, nanokeras as keras
        >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        >>> keras.saving.save_model(model, os.path.join(tempfile.mkdtemp(), "m.keras"))
    """
    _check_model(model, "save_model")
    filepath = _check_path(filepath)
    include_optimizer = kwargs.pop("include_optimizer", True)
    kwargs.pop("save_format", None)
    if kwargs:
        raise TypeError(f"save_model() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    if zipped is False:
        if filepath.endswith(".keras"):
            raise ValueError("When using `zipped=False`, the `filepath` argument should not end in `.keras`: "
                             f"it names the directory to write. Received: filepath={filepath!r}")
        if not overwrite and os.path.exists(filepath):
            raise FileExistsError(f"{filepath!r} already exists; pass `overwrite=True` to replace it.")
        saving_lib.save_model(model, filepath, zipped=False)
        return
    legacy = filepath.endswith((".h5", ".hdf5"))
    if not filepath.endswith(".keras") and not legacy:
        raise ValueError(
            "Invalid filepath extension for saving. Please add the `.keras` extension "
            f"(or `.h5` for the legacy Keras 2 format), e.g. `model.save('model.keras')`. Received: filepath={filepath!r}"
        )
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} already exists; pass `overwrite=True` to replace it.")
    if legacy:
        from nanokeras.saving.legacy import legacy_h5_format

        legacy_h5_format.save_model(model, filepath, include_optimizer=bool(include_optimizer))
    else:
        saving_lib.save_model(model, filepath)


def load_model(filepath, custom_objects=None, compile=True, safe_mode=True):
    """Loads a model saved as `.keras` (by nanokeras or Keras 3) or as legacy `.h5` (Keras 2 / tf.keras).

    Args:
        filepath: path of the `.keras` (or `.h5` / `.hdf5`) file, or of the directory Keras 3
            writes with `save_model(model, path, zipped=False)`.
        custom_objects: `{name: class_or_function}` for your own layers, losses, ...
        compile: also restore the compile settings and optimizer state.
        safe_mode: never run code from the file (always true in nanokeras: lambdas are refused).

    Only nanokeras's built-in objects and the objects you register or pass can be
    named by the file; anything else is refused before anything is built.

    Raises:
        FileNotFoundError: no such file (also a ValueError, as Keras raises it).
        ValueError: not a `.keras` archive, an unsupported or unknown class, or weights
            that do not fit the architecture.
    """
    filepath = _check_path(filepath)
    if not os.path.exists(filepath):
        raise ModelFileNotFoundError(f"No file or directory found at {filepath!r}.")
    if os.path.isdir(filepath) and not directory_archive.is_model_directory(filepath):
        raise ValueError(f"{filepath!r} is a directory without a config.json; nanokeras loads `.keras` and "
                         "`.h5` files, and directories written by Keras's `save_model(..., zipped=False)`.")
    if filepath.endswith(".weights.h5"):
        raise ValueError(f"{filepath!r} holds weights only; build the model and call `model.load_weights(...)`.")
    if custom_objects is not None and not isinstance(custom_objects, dict):
        raise TypeError(f"`custom_objects` must be a dict of {{name: object}}, got {type(custom_objects).__name__}.")
    if filepath.endswith((".h5", ".hdf5")):
        from nanokeras.saving.legacy import legacy_h5_format

        return _reading(filepath, lambda: legacy_h5_format.load_model(
            filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode))
    return _reading(filepath, lambda: saving_lib.load_model(
        filepath, custom_objects=custom_objects, compile=compile, safe_mode=safe_mode))


def save_weights(model, filepath, overwrite=True, **kwargs):
    """Saves the weights (and optimizer state) of `model` to a `.weights.h5` file, in Keras's layout.

    Any other `.h5` / `.hdf5` name writes Keras 2's weights file (no optimizer state),
    which tf-keras and Keras 3 `load_weights` read. With `max_shard_size` (gigabytes), Keras 3's
    sharded form: an index `name.weights.json` and files `name_00000.weights.h5`, ...
    """
    _check_model(model, "save_weights")
    filepath = _check_path(filepath)
    max_shard_size = kwargs.pop("max_shard_size", None)
    if kwargs:
        raise TypeError(f"save_weights() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    if max_shard_size is not None:
        if not filepath.endswith((".weights.h5", ".weights.json")):
            raise ValueError("The filename must end in `.weights.json` when `max_shard_size` is specified. "
                             f"Received: filepath={filepath!r}")
        if filepath.endswith(".weights.h5"):
            renamed = filepath[:-len(".weights.h5")] + ".weights.json"
            warnings.warn(f"Saving sharded weights requires `*.json` as the extension: {filepath!r} is "
                          f"written as {renamed!r} (the index) and its shards.", stacklevel=3)
            filepath = renamed
        if not overwrite and os.path.exists(filepath):
            raise FileExistsError(f"{filepath!r} already exists; pass `overwrite=True` to replace it.")
        saving_lib.save_weights_only(model, filepath, max_shard_size=max_shard_size)
        return
    legacy = filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5")
    if not filepath.endswith(".weights.h5") and not legacy:
        raise ValueError(
            f"The filename must end in `.weights.h5`, e.g. `model.save_weights('model.weights.h5')` "
            f"(or `.h5` for the legacy Keras 2 format). Received: filepath={filepath!r}"
        )
    if not overwrite and os.path.exists(filepath):
        raise FileExistsError(f"{filepath!r} already exists; pass `overwrite=True` to replace it.")
    if legacy:
        from nanokeras.saving.legacy import legacy_h5_format

        legacy_h5_format.save_weights(model, filepath)
    else:
        saving_lib.save_weights_only(model, filepath)


def load_weights(model, filepath, skip_mismatch=False, **kwargs):
    """Loads weights saved by `save_weights` (`.weights.h5`, or Keras 3's sharded `.weights.json`
    index with its shard files), from a `.keras` file, or from a legacy Keras 2 `.h5` file
    (weights or full model) into `model`.

    Args:
        skip_mismatch: skip (with a warning) layers whose weights do not fit instead of raising.
        by_name: for legacy `.h5` files, match layers by name instead of by position.

    Every weight is checked before any is assigned: a failed load leaves the model unchanged.
    """
    _check_model(model, "load_weights")
    filepath = _check_path(filepath)
    by_name = kwargs.pop("by_name", False)
    if kwargs:
        raise TypeError(f"load_weights() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
    if not os.path.exists(filepath):
        # Also a ValueError: Keras checks the extension first, so a missing `cp.ckpt` (the old
        # "Save and load" tutorial's name) is a ValueError there, a missing `.weights.h5` not.
        raise ModelFileNotFoundError(f"No weights file found at {filepath!r}.")
    legacy = filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5")
    if not filepath.endswith((".weights.h5", ".keras", ".weights.json")) and not legacy:
        raise ValueError(
            f"Invalid weights file {filepath!r}: the filename must end in `.weights.h5` (from "
            "`save_weights`), `.weights.json` (sharded, from `save_weights(..., max_shard_size=...)`), "
            "`.keras` (from `save`) or `.h5` (Keras 2)."
        )
    if by_name and not legacy:
        raise ValueError("`by_name=True` applies to legacy Keras 2 `.h5` files only; `.weights.h5` and `.keras` "
                         "files are loaded by the structure of the model.")
    if legacy:
        from nanokeras.saving.legacy import legacy_h5_format

        return _reading(filepath, lambda: legacy_h5_format.load_weights(
            model, filepath, by_name=bool(by_name), skip_mismatch=skip_mismatch))
    _reading(filepath, lambda: saving_lib.load_weights_only(model, filepath, skip_mismatch=skip_mismatch))
