"""`TensorBoard`: writes training curves, weight histograms and the model for the `tensorboard` tool.

Event files go to `log_dir/train` and `log_dir/validation`, with Keras's tags
(`epoch_loss`, `epoch_accuracy`, `epoch_learning_rate`, `batch_loss`,
`evaluation_loss_vs_iterations`, `dense/kernel/histogram`, ...), so
`tensorboard --logdir logs` shows what it shows for real Keras. They are written
with `tensorboardX` (`pip install tensorboardX`, or the `tensorboard` extra of
nanokeras), imported only when the callback writes its first event.

Example:
    >>> import os, tempfile, numpy as np, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    >>> model.compile("sgd", "mse")
    >>> log_dir = tempfile.mkdtemp()
    >>> _ = model.fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=0,
    ...               callbacks=[keras.callbacks.TensorBoard(log_dir)])  # doctest: +SKIP
    >>> sorted(os.listdir(log_dir))  # doctest: +SKIP
    ['train']
"""

import json
import os
import time

import numpy as np

from nanokeras.callbacks.callback import Callback


def _summary_writer(directory):
    try:
        from tensorboardX import SummaryWriter
    except ImportError:
        raise ImportError(
            "The TensorBoard callback writes its event files with tensorboardX: `pip install tensorboardX` "
            "(or `pip install nanokeras[tensorboard]`)."
        ) from None
    return SummaryWriter(logdir=directory)


class TensorBoard(Callback):
    """Logs scalars, histograms, images and the model's structure for TensorBoard.

    Args:
        log_dir: the folder of the event files (`train/` and `validation/` inside).
        histogram_freq: every how many epochs to write histograms of the weights (0: never).
        write_graph: write the model's config, which TensorBoard's graph tab draws.
        write_images: with `histogram_freq`, also write the weights as images.
        write_steps_per_second: log the training speed.
        update_freq: `"epoch"` (scalars per epoch), `"batch"`, or an int N: also the batch
            logs (`batch_loss`, ...) every N batches.
        profile_batch: must be 0: profiling is not available on nanokeras's numpy backend.
        embeddings_freq: every how many epochs to save the weights for the embedding projector.
        embeddings_metadata: `{embedding layer name: metadata file}` (or one file for all).
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0, embeddings_freq=0,
                 embeddings_metadata=None):
        super().__init__()
        if update_freq != "epoch" and update_freq != "batch" and (
                isinstance(update_freq, bool) or not isinstance(update_freq, int) or update_freq < 1):
            raise ValueError(f"TensorBoard: `update_freq` must be 'epoch', 'batch' or a positive int, "
                             f"got {update_freq!r}.")
        if profile_batch:
            raise ValueError("Profiling is not yet available with the numpy backend. Received: "
                             f"profile_batch={profile_batch} (must be 0)")
        self.log_dir = str(os.fspath(log_dir))
        self.histogram_freq = histogram_freq
        self.write_graph = write_graph
        self.write_images = write_images
        self.write_steps_per_second = write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self.embeddings_freq = embeddings_freq
        self.embeddings_metadata = embeddings_metadata
        self._writers = {}
        # With an int `update_freq`, Keras records an event only when the step of the innermost
        # phase (training or evaluation) is a multiple of it: epoch events too.
        self._phase_steps = [0]
        self._global_train_batch = 0
        self._global_test_batch = 0
        self._batch_start_time = 0.0
        self._epoch_start_time = 0.0
        self._previous_epoch_iterations = 0

    # ------------------------------------------------------------- writers
    def set_model(self, model):
        super().set_model(model)
        self._train_dir = os.path.join(self.log_dir, "train")
        self._val_dir = os.path.join(self.log_dir, "validation")
        self._close_writers()
        if self.write_graph:
            self._write_model_config()
        if self.embeddings_freq:
            self._configure_embeddings()

    def _writer(self, which):
        if which not in self._writers:
            self._writers[which] = _summary_writer(self._train_dir if which == "train" else self._val_dir)
        return self._writers[which]

    def _close_writers(self):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    def _recording(self):
        return self.update_freq == "epoch" or self._phase_steps[-1] % self.update_freq == 0

    def _scalar(self, which, tag, value, step):
        if self._recording():
            self._writer(which).add_scalar(tag, float(np.asarray(value)), global_step=int(step))

    def _write_model_config(self):
        """The model's config as Keras writes it for TensorBoard's graph tab ("graph_keras_model")."""
        if type(self.model).__name__ not in ("Functional", "Sequential"):
            return
        try:
            config = json.dumps(self.model.get_config())
        except (TypeError, ValueError, NotImplementedError):
            return
        writer = self._writer("train")  # first: without tensorboardX, its error says how to install it
        from tensorboardX.proto.summary_pb2 import Summary, SummaryMetadata
        from tensorboardX.proto.tensor_pb2 import TensorProto

        metadata = SummaryMetadata(plugin_data=SummaryMetadata.PluginData(plugin_name="graph_keras_model",
                                                                          content=b"1"))
        tensor = TensorProto(dtype=7, string_val=[config.encode("utf-8")])  # 7: DT_STRING
        summary = Summary(value=[Summary.Value(tag="keras", metadata=metadata, tensor=tensor)])
        writer._get_file_writer().add_summary(summary, 0)
        writer.flush()

    def _configure_embeddings(self):
        """A projector config naming the embedding weights (as Keras writes it)."""
        lines = []
        metadata = self.embeddings_metadata
        remaining = dict(metadata) if isinstance(metadata, dict) else None
        for layer in self.model.layers:
            if type(layer).__name__ != "Embedding":
                continue
            lines.append("embeddings {")
            lines.append('  tensor_name: "layer_with_weights-0/embeddings/.ATTRIBUTES/VARIABLE_VALUE"')
            path = metadata if isinstance(metadata, str) else (remaining.pop(layer.name, None) if remaining else None)
            if path is not None:
                lines.append(f"  metadata_path: {json.dumps(path)}")
            lines.append("}")
        if remaining:
            raise ValueError("Unrecognized `Embedding` layer names passed to `keras.callbacks.TensorBoard` "
                             f"`embeddings_metadata` argument: {sorted(remaining)}")
        os.makedirs(self.log_dir, exist_ok=True)
        with open(os.path.join(self.log_dir, "projector_config.pbtxt"), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + ("\n" if lines else ""))

    # --------------------------------------------------------------- hooks
    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        self._previous_epoch_iterations = 0
        self._phase_steps = [0]

    def on_train_end(self, logs=None):
        self._close_writers()

    def on_epoch_begin(self, epoch, logs=None):
        if self.write_steps_per_second:
            self._previous_epoch_iterations = self._optimizer_iterations()
            self._epoch_start_time = time.time()

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1
        self._phase_steps[-1] = self._global_train_batch
        if self.write_steps_per_second:
            self._batch_start_time = time.time()

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        step = self._global_train_batch
        if self.write_steps_per_second:
            self._scalar("train", "batch_steps_per_second", 1.0 / max(time.time() - self._batch_start_time, 1e-9),
                         step)
        for name, value in (logs or {}).items():
            if np.ndim(value) == 0:
                self._scalar("train", f"batch_{name}", value, step)

    def on_test_begin(self, logs=None):
        self._phase_steps.append(self._global_test_batch)

    def on_test_batch_begin(self, batch, logs=None):
        self._global_test_batch += 1
        self._phase_steps[-1] = self._global_test_batch

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "iterations"):
            step = int(np.asarray(getattr(optimizer.iterations, "value", optimizer.iterations)))
            for name, value in (logs or {}).items():
                self._scalar("validation", f"evaluation_{name}_vs_iterations", value, step)
        if len(self._phase_steps) > 1:
            self._phase_steps.pop()

    def on_epoch_end(self, epoch, logs=None):
        self._log_epoch_metrics(epoch, logs or {})
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)
        if self.embeddings_freq and epoch % self.embeddings_freq == 0:
            self.model.save_weights(os.path.join(self._train_dir, f"keras_embedding.ckpt-{epoch}.weights.h5"))

    # -------------------------------------------------------------- epochs
    def _optimizer_iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", 0)
        return float(np.asarray(getattr(iterations, "value", iterations)))

    def _learning_rates(self):
        optimizer = getattr(self.model, "optimizer", None)
        optimizer = getattr(optimizer, "inner_optimizer", optimizer)
        if optimizer is None:
            return {}
        if hasattr(optimizer, "optimizers"):
            return {f"learning_rate_{inner.name}": float(np.asarray(inner.learning_rate))
                    for inner in optimizer.optimizers}
        return {"learning_rate": float(np.asarray(optimizer.learning_rate))}

    def _log_epoch_metrics(self, epoch, logs):
        if not logs:
            return
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        validation = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        train.update(self._learning_rates())
        if self.write_steps_per_second:
            elapsed = max(time.time() - self._epoch_start_time, 1e-9)
            train["steps_per_second"] = (self._optimizer_iterations() - self._previous_epoch_iterations) / elapsed
        for which, values in (("train", train), ("validation", validation)):
            for name, value in values.items():
                if np.ndim(value) == 0:
                    self._scalar(which, f"epoch_{name}", value, epoch)

    def _log_weights(self, epoch):
        if not self._recording():
            return
        writer = self._writer("train")
        for layer in self.model.layers:
            for weight in layer.weights:
                name = weight.path.replace(":", "_")
                values = np.asarray(weight.numpy(), dtype=np.float64)
                writer.add_histogram(f"{name}/histogram", values, global_step=epoch)
                if self.write_images:
                    image = _weight_image(values)
                    if image is not None:
                        writer.add_image(f"{name}/image", image, global_step=epoch, dataformats="NHWC")
        writer.flush()


def _weight_image(weight):
    """A weight as a batch of grey images (NHWC), as Keras draws it, or None when it can't be."""
    image = np.squeeze(weight)
    if image.ndim == 1:
        image = image.reshape(1, image.shape[0], 1, 1)
    elif image.ndim == 2:
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, image.shape[0], image.shape[1], 1)
    elif image.ndim == 3:
        image = np.transpose(image, (2, 0, 1))[..., None]
    else:
        return None
    low, high = image.min(), image.max()
    return ((image - low) / (high - low) if high > low else np.zeros_like(image)).astype(np.float32)
