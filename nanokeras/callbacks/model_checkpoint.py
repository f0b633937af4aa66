"""`ModelCheckpoint`: save the model (or its weights) during training, optionally only the best."""

import os
import warnings

import numpy as np

from nanokeras.callbacks.monitor_callback import MonitorCallback
from nanokeras.utils import keras2_notes
from nanokeras.utils.io_utils import print_msg


class ModelCheckpoint(MonitorCallback):
    """Saves the model or its weights at the end of each epoch (or every `save_freq` batches).

    Args:
        filepath: where to save; may contain `str.format` fields filled from the epoch
            (1-based) and the logs, e.g. `"ckpt-{epoch:02d}-{val_loss:.2f}.keras"`.
            Must end in `.keras` (or `.h5`, the legacy format), or in `.weights.h5` with
            `save_weights_only=True`. Keras 2's `.hdf5` (and `.h5` weights) names work too,
            with a Keras 2 note (`docs/keras2.md`).
        monitor: the logged quantity that decides what "best" is (`"val_loss"` by default).
        verbose: 1 prints a line per save.
        save_best_only: save only when `monitor` improves on the best value so far.
        save_weights_only: save `model.save_weights(...)` instead of the full model.
        mode: `"auto"`, `"min"` or `"max"`: whether lower or higher `monitor` is better.
        save_freq: `"epoch"` or an int (save every that many batches).
        initial_value_threshold: the value `monitor` must beat for the first save with
            `save_best_only`.

    Example:
        >>> import os, tempfile, numpy as np, nanokeras as keras
        >>> folder = tempfile.mkdtemp()
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> checkpoint = keras.callbacks.ModelCheckpoint(os.path.join(folder, "ckpt-{epoch:02d}.keras"),
        ...                                              monitor="loss")
        >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, callbacks=[checkpoint], verbose=0)
        >>> sorted(os.listdir(folder))
        ['ckpt-01.keras', 'ckpt-02.keras']
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False, save_weights_only=False,
                 mode="auto", save_freq="epoch", initial_value_threshold=None):
        super().__init__(monitor=monitor, mode=mode, baseline=initial_value_threshold)
        if isinstance(filepath, os.PathLike):
            filepath = os.fspath(filepath)
        if not isinstance(filepath, str) or not filepath:
            raise ValueError(f"ModelCheckpoint: `filepath` must be a non-empty path, got {filepath!r}.")
        # Keras 2 wrote any `.h5`/`.hdf5` name in its HDF5 format (weights only, or the whole
        # model); Keras 3 refuses `.hdf5` models and non-`.weights.h5` weights: a Keras 2 idiom.
        keras2_h5 = filepath.endswith((".h5", ".hdf5")) and not filepath.endswith(".weights.h5")
        if save_weights_only and not filepath.endswith(".weights.h5") and not keras2_h5:
            raise ValueError(
                "ModelCheckpoint: when using `save_weights_only=True`, the filepath must end in "
                f"`.weights.h5`. Received: filepath={filepath!r}"
            )
        if not save_weights_only and not filepath.endswith((".keras", ".h5", ".hdf5")):
            raise ValueError(
                "ModelCheckpoint: the filepath must end in `.keras` or `.h5` (or use `save_weights_only=True` "
                f"with `.weights.h5`). Received: filepath={filepath!r}"
            )
        if keras2_h5 and (save_weights_only or filepath.endswith(".hdf5")):
            keras2_notes.note("checkpoint_hdf5", used=f"`ModelCheckpoint({os.path.basename(filepath)!r}"
                              + (", save_weights_only=True)`" if save_weights_only else ")`"))
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq <= 0):
            raise ValueError(
                f"ModelCheckpoint: `save_freq` must be 'epoch' or a positive int, got save_freq={save_freq!r}."
            )
        self.filepath = filepath
        self.verbose = verbose
        self.save_best_only = bool(save_best_only)
        self.save_weights_only = bool(save_weights_only)
        self.save_freq = save_freq
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0

    def on_train_begin(self, logs=None):
        if self.save_best_only and self.monitor_op is None:
            self._set_monitor_op()

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save_model(epoch, None, logs)

    def _should_save_on_batch(self, batch):
        if self.save_freq == "epoch":
            return False
        added = batch + 1 if batch <= self._last_batch_seen else batch - self._last_batch_seen
        self._batches_seen_since_last_saving += added
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def _file_path(self, epoch, batch, logs):
        fields = dict(logs or {})
        try:
            if batch is None or "batch" in fields:
                return self.filepath.format(epoch=epoch + 1, **fields)
            return self.filepath.format(epoch=epoch + 1, batch=batch + 1, **fields)
        except KeyError as error:
            raise KeyError(
                f"ModelCheckpoint: failed to format the filepath {self.filepath!r}: no {error} in the logs. "
                f"Available: {['epoch', 'batch'] + sorted(fields)}."
            ) from None

    def _should_save(self, epoch, logs, filepath):
        """`(save now?, the new best once saved or None)`, with Keras's messages (`verbose > 0`) and warnings."""
        if not self.save_best_only:
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: saving model to {filepath}")
            return True, None
        current = logs.get(self.monitor)
        if current is None:
            # Keras saves when it cannot tell whether the model improved.
            warnings.warn(f"Can save best model only with {self.monitor} available.", stacklevel=3)
            return True, None
        if np.ndim(current) > 0:
            warnings.warn(
                f"Can save best model only when `monitor` is a scalar value. Received: {current}. "
                "Falling back to `save_best_only=False`.", stacklevel=3)
            return True, None
        current = float(np.asarray(current))
        best = "None" if self.best is None else f"{self.best:.5f}"
        if not self._is_improvement(current, self.best):
            if self.verbose > 0:
                print_msg(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {best}")
            return False, None
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to {current:.5f}, "
                      f"saving model to {filepath}")
        return True, current

    def _save_model(self, epoch, batch, logs):
        logs = dict(logs or {})
        filepath = self._file_path(epoch, batch, logs)
        save, new_best = self._should_save(epoch, logs, filepath)
        if not save:
            return
        if os.path.isdir(filepath):
            raise IOError(
                "Please specify a non-directory filepath for ModelCheckpoint. Filepath used is an "
                f"existing directory: {filepath}"
            )
        directory = os.path.dirname(os.path.abspath(filepath))
        os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(filepath, overwrite=True)
        else:
            self.model.save(filepath, overwrite=True)
        if new_best is not None:
            self.best = new_best  # only once the file holds it: a failed save changes nothing
        if self.verbose > 0:
            print_msg(f"\nEpoch {epoch + 1}: finished saving model to {filepath}")
