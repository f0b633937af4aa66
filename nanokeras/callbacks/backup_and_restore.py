"""`BackupAndRestore`: resume training interrupted by an exception from the last finished epoch.

Files in `backup_dir`, as Keras writes them: `latest.weights.h5` (weights and
optimizer state, Keras's layout) and `training_metadata.json` (`{"epoch", "batch"}`).
Each is written atomically, so a crash while saving never leaves a torn file. The pair
is all-or-nothing too: the metadata is written first and records the SHA-256 of the
weights it goes with and the previous backup's, so a crash between the two writes
restores the previous epoch with the previous weights, never a mix.

Needs `fit` to start from `model._initial_epoch` when a callback sets it in
`on_train_begin` (as Keras's fit does).
"""

import hashlib
import json
import os
import shutil

from nanokeras.callbacks.callback import Callback


class BackupAndRestore(Callback):
    """Backs up the model during `fit`; a later `fit` after a crash continues where it stopped.

    Args:
        backup_dir: directory for the backup (created if needed; removed when training ends
            normally if `delete_checkpoint`).
        save_freq: `"epoch"` (back up after every epoch) or an int (every N batches).
        double_checkpoint: keep the previous backup too (`*.bkp`), used if the latest is corrupted.
        delete_checkpoint: remove `backup_dir` once `fit` finishes normally.

    Example:
        >>> import os, tempfile, numpy as np, nanokeras as keras
        >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
        >>> model.compile(optimizer="sgd", loss="mse")
        >>> backup = keras.callbacks.BackupAndRestore(os.path.join(tempfile.mkdtemp(), "backup"))
        >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, callbacks=[backup], verbose=0)
    """

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False, delete_checkpoint=True):
        super().__init__()
        if isinstance(backup_dir, os.PathLike):
            backup_dir = os.fspath(backup_dir)
        if not isinstance(backup_dir, str) or not backup_dir:
            raise ValueError(f"BackupAndRestore: `backup_dir` must be a non-empty path, got {backup_dir!r}.")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(save_freq, int) or save_freq <= 0):
            raise ValueError(
                f"BackupAndRestore: `save_freq` must be 'epoch' or a positive int, got save_freq={save_freq!r}."
            )
        self.backup_dir = backup_dir
        self.save_freq = save_freq
        self.double_checkpoint = bool(double_checkpoint)
        self.delete_checkpoint = bool(delete_checkpoint)
        self._weights_path = os.path.join(backup_dir, "latest.weights.h5")
        self._metadata_path = os.path.join(backup_dir, "training_metadata.json")
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0

    # ---------------------------------------------------------------- restore
    def on_train_begin(self, logs=None):
        try:
            self._restore()
        except (ValueError, OSError):
            previous = self._weights_path + ".bkp"
            if not os.path.exists(previous):
                raise
            shutil.copyfile(previous, self._weights_path)
            if os.path.exists(self._metadata_path + ".bkp"):
                shutil.copyfile(self._metadata_path + ".bkp", self._metadata_path)
            self._restore()

    def _restore(self):
        if not self.model.built:
            raise ValueError(
                "BackupAndRestore needs a built model before `fit()`: call the model on a batch "
                f"of data (or `model.build(input_shape)`) first. Model {self.model.name!r} is unbuilt."
            )
        metadata = self._read_metadata()
        if os.path.exists(self._weights_path):
            metadata = self._metadata_for_weights(metadata)
            optimizer = getattr(self.model, "optimizer", None)
            if optimizer is not None and not optimizer.built:
                optimizer.build(self.model.trainable_weights)
            self.model.load_weights(self._weights_path)
        if metadata is not None:
            epoch = metadata.get("epoch") if isinstance(metadata, dict) else None
            if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
                raise ValueError(f"BackupAndRestore: {self._metadata_path!r} holds no valid 'epoch': {metadata!r}.")
            self._current_epoch = epoch
            self.model._initial_epoch = epoch

    def _read_metadata(self):
        if not os.path.exists(self._metadata_path):
            return None
        with open(self._metadata_path, "r", encoding="utf-8") as f:
            try:
                return json.loads(f.read())
            except ValueError as error:
                raise ValueError(f"BackupAndRestore: {self._metadata_path!r} is corrupted ({error}).") from None

    def _metadata_for_weights(self, metadata):
        """The metadata (latest or previous) that belongs to the weights file on disk."""
        if not isinstance(metadata, dict) or "weights_sha256" not in metadata:
            return metadata  # written by Keras or an older nanokeras: nothing to check
        with open(self._weights_path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        for candidate in (metadata, metadata.get("previous")):
            if isinstance(candidate, dict) and candidate.get("weights_sha256") == digest:
                return candidate
        raise ValueError(
            f"BackupAndRestore: {self._weights_path!r} matches neither the latest nor the previous backup "
            f"recorded in {self._metadata_path!r}; the backup is corrupted."
        )

    # ------------------------------------------------------------------- back up
    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save()

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

    def _save(self):
        from nanokeras.saving.saving_lib import atomic_write, weights_bytes

        os.makedirs(self.backup_dir, exist_ok=True)
        if self.double_checkpoint:
            for path in (self._weights_path, self._metadata_path):
                if os.path.exists(path):
                    shutil.copyfile(path, path + ".bkp")
        weights = weights_bytes(self.model)
        previous = None
        try:
            previous = self._metadata_for_weights(self._read_metadata()) if os.path.exists(self._weights_path) else None
        except ValueError:
            pass  # a corrupted backup is replaced, not kept as "previous"
        metadata = {"epoch": self._current_epoch, "batch": self._last_batch_seen,
                    "weights_sha256": hashlib.sha256(weights).hexdigest()}
        if isinstance(previous, dict) and "weights_sha256" in previous:
            metadata["previous"] = {k: previous[k] for k in ("epoch", "batch", "weights_sha256") if k in previous}
        # Metadata first: a crash before the weights are replaced leaves the previous pair usable.
        encoded = json.dumps(metadata).encode()
        atomic_write(self._metadata_path, lambda f: f.write(encoded))
        atomic_write(self._weights_path, lambda f: f.write(weights))

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)
