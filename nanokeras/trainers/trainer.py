"""The training loop: `compile`, `fit`, `evaluate`, `predict` and their one-batch forms.

A training step is built from the same public pieces a custom loop uses:

    with keras.GradientTape() as tape:
        y_pred = model(x, training=True)
        loss = model.compute_loss(x, y, y_pred, sample_weight)
    grads = tape.gradient(loss, model.trainable_weights)
    model.optimizer.apply(grads, model.trainable_weights)
    metric.update_state(y, y_pred)

Everything that can be checked is checked once per call of `fit`, never per step.
"""

import contextlib
import functools
import inspect
import warnings

import numpy as np

from nanokeras.backend import probing
from nanokeras.backend import config
from nanokeras.ops.stateless_scope import StatelessScope
from nanokeras.ops.tape import GradientTape
from nanokeras.ops.tensor import value_of
from nanokeras.callbacks.callback_list import CallbackList
from nanokeras.layers import layer as layer_module
from nanokeras.optimizers import atomic_update
from nanokeras.trainers import batch_sources
from nanokeras.trainers import compile_utils
from nanokeras.trainers.blas_threads import blas_threads
from nanokeras.trainers import data_adapter
from nanokeras.trainers import parallel_predict
from nanokeras.trainers.floating_point import quiet_floating_point_errors
from nanokeras.trainers.step_program import CompiledSteps
from nanokeras.utils import keras2_notes
from nanokeras.utils.dataset_utils import pack_x_y_sample_weight
from nanokeras.trainers.validation import (check_batch_size, check_features, check_fit_arguments, check_steps,
                                           check_verbose)


_LOOP_ATTRIBUTES = frozenset({"stop_training", "history"})



@functools.lru_cache(maxsize=None)
def _takes_training(compute_loss):
    """Whether a `compute_loss` function has a `training` parameter (looked up once per function)."""
    return "training" in inspect.signature(compute_loss).parameters

def _policy_name(model):
    policy = getattr(model, "dtype_policy", None)
    return getattr(policy, "name", None)


class Trainer:
    """The `compile`/`fit`/`evaluate`/`predict` half of `keras.Model`."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self._compile_optimizer = None
        self._built_since_compile = True
        self.loss = None
        self._compile_loss = None
        self._compile_metrics = None
        self._loss_weights_spec = None
        self._metrics_spec = None
        self._weighted_metrics_spec = None
        self._loss_tracker = None
        self.stop_training = False
        self.history = None
        self._step_variables = None
        self._compiled_steps = None
        self.run_eagerly = False
        self.jit_compile = True  # (Keras resolves "auto" to True where it can compile)
        self._jit_off_for_layers = False
        self.steps_per_execution = 1

    def __setattr__(self, name, value):
        # The loop's bookkeeping is not the model's configuration: setting it must not make
        # the compiled steps record again (`Layer.__setattr__` counts public attributes).
        if name in _LOOP_ATTRIBUTES:
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    # ---------------------------------------------------------------- compile
    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True, **kwargs):
        """Configures the model for training.

        Args:
            optimizer: a name (`"adam"`, `"sgd"`, ...) or an optimizer object.
            loss: a name (`"binary_crossentropy"`, ...), a function or a `Loss` object.
            loss_weights: a number scaling the loss (for multi-output models, one per output).
            metrics: a list of names (`"accuracy"`/`"acc"`, `"mae"`, ...), functions or `Metric` objects.
            weighted_metrics: metrics that also receive `sample_weight`.

        Keras 2 order is accepted too: `compile(Adam(0.01), "categorical_crossentropy", ["acc"])`.

        Example:
            >>> import nanokeras as keras
            >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
            >>> model.compile(keras.optimizers.SGD(0.2), "binary_crossentropy", ["acc"])
        """
        for legacy in ("sample_weight_mode", "target_tensors", "distribute"):
            kwargs.pop(legacy, None)
        if kwargs:
            raise TypeError(f"compile() got unexpected keyword argument(s): {', '.join(sorted(kwargs))}.")
        if metrics is None and compile_utils.looks_like_metrics(loss_weights):
            # Keras-2 positional order: compile(optimizer, loss, metrics).
            keras2_notes.note("compile_positional_metrics")
            metrics, loss_weights = loss_weights, None
        steps_per_execution = _check_steps_per_execution(steps_per_execution)
        if jit_compile not in ("auto", True, False):
            raise ValueError(f"`jit_compile` must be True, False or 'auto', got {jit_compile!r}.")
        # Resolve everything before changing anything, so a bad argument leaves the model as it was.
        resolved_optimizer = compile_utils.resolve_optimizer(optimizer)
        optimizer_as_given = resolved_optimizer  # what the compile config records, as in Keras
        if auto_scale_loss and resolved_optimizer is not None and _policy_name(self) == "mixed_float16":
            # as Keras: a mixed_float16 model trains through a dynamic loss scale (a power of two,
            # so in nanokeras's float32 compute the steps are the same as without it)
            from nanokeras.optimizers.loss_scale_optimizer import LossScaleOptimizer

            if not isinstance(resolved_optimizer, LossScaleOptimizer):
                resolved_optimizer = LossScaleOptimizer(resolved_optimizer, name="loss_scale_optimizer")
        compiled_loss = compile_utils.CompiledLoss(loss, loss_weights) if loss is not None else None
        compiled_metrics = None
        if metrics is not None or weighted_metrics is not None:
            compiled_metrics = compile_utils.CompiledMetrics(metrics, weighted_metrics)
        from nanokeras.metrics import Mean

        self.optimizer = resolved_optimizer
        self._compile_optimizer = optimizer_as_given
        if loss is not None or metrics is not None or weighted_metrics is not None:
            self._built_since_compile = False  # (Keras's new compiled loss/metrics are unbuilt)
        self._warned_nothing_to_train = False
        # As Keras: compiling again without a loss (or metrics) keeps the ones compiled before.
        if compiled_loss is not None or self._compile_loss is None:
            self.loss = loss
            self._compile_loss = compiled_loss or compile_utils.CompiledLoss(None, None)
            self._loss_weights_spec = loss_weights
        if compiled_metrics is not None or self._compile_metrics is None:
            self._compile_metrics = compiled_metrics or compile_utils.CompiledMetrics(None, None)
            self._metrics_spec = metrics
            self._weighted_metrics_spec = weighted_metrics
        self._loss_tracker = Mean(name="loss")
        if jit_compile is True and run_eagerly:
            warnings.warn("If `run_eagerly` is True, then `jit_compile` cannot also be True. "
                          "Disabling `jit_compile`.", stacklevel=2)
        # The compiled step replays the tape's ops (same numbers): `jit_compile` chooses it
        # ("auto"/True) or the tape, the reference path (False, or `run_eagerly=True`).
        self.run_eagerly = bool(run_eagerly)
        resolved = False if run_eagerly else (True if jit_compile == "auto" else jit_compile)
        # As Keras: a model holding a layer XLA cannot compile (lookups, hashing, most geometric
        # augmentations) reports (and saves) `jit_compile=False`; the compiled step here replays
        # the same numbers, so it keeps being used (only an explicit False asks for the tape).
        self._jit_off_for_layers = bool(resolved) and bool(self._layers_without_jit())
        # What the compile config records, as Keras: "auto" resolved, an explicit True as asked.
        self._jit_compile_config = bool(resolved) and (jit_compile is True or not self._jit_off_for_layers)
        if self._jit_off_for_layers:
            if jit_compile is True:
                names = ", ".join(repr(layer.name) for layer in self._layers_without_jit())
                warnings.warn("`jit_compile=True` is not possible for this model: some of its layers "
                              f"({names}) do not support it; continuing with `jit_compile=False`.",
                              stacklevel=2)
            resolved = False
        self.jit_compile = resolved
        self.steps_per_execution = steps_per_execution
        self._compiled_steps = None
        self.compiled = True

    def _assert_compiled(self, method):
        if not self.compiled:
            raise ValueError(
                f"You must call `compile()` before `{method}()`, e.g. "
                "model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])."
            )

    # ---------------------------------------------------------------- metrics
    def _build_compiled(self, y, y_pred):
        """Ties losses and metrics to the outputs, once labels and predictions have been seen."""
        names = compile_utils.output_names_of(self, y_pred)
        named = compile_utils.outputs_are_named(self, y_pred)
        self._compile_loss.build(y_pred, names, named)
        self._compile_metrics.build(y, y_pred, names, named)

    # What `compile` was given is not a metric of the model itself (the compiled metrics wrap it).
    _untracked_metric_attributes = frozenset({"_loss_tracker", "_metrics_spec", "_weighted_metrics_spec"})

    @property
    def metrics(self):
        """As Keras: once compiled, the loss tracker, the per-output loss trackers and the
        compiled metrics; then the metrics kept as attributes of the model, then those of its
        layers (not of nested models: they have trainers of their own)."""
        result = []
        if self.compiled:
            if self._loss_tracker is not None:
                result.append(self._loss_tracker)
            if self._compile_loss is not None:
                result.extend(self._compile_loss.trackers)
            if self._compile_metrics is not None:
                result.extend(self._compile_metrics.metrics)
        return result + self._attribute_metrics(skip=Trainer)

    @property
    def metrics_names(self):
        """The log keys in the order `evaluate` lists their values, so that
        `dict(zip(model.metrics_names, model.evaluate(x, y)))` pairs each value with its name."""
        return self._log_keys_in_order([getattr(m, "_log_key", m.name) for m in self.metrics])

    def reset_metrics(self):
        for metric in self.metrics:
            metric.reset_state()

    def get_metrics_result(self):
        """The metrics' current values as a dict of floats, in the order of `model.metrics`
        (the loss first), a metric returning a dict adding its entries in place.

        Example: `{'loss': 0.25, 'accuracy': 0.75}`.
        """
        logs = {}
        for metric in self.metrics:
            result = metric.result()
            if isinstance(result, dict):
                logs.update({k: _log_value(v) for k, v in result.items()})
            else:
                logs[getattr(metric, "_log_key", metric.name)] = _log_value(result)
        return logs

    def _sorted_metrics_result(self):
        # what Keras hands to callbacks and returns from fit/evaluate: the keys sorted
        logs = self.get_metrics_result()
        return {key: logs[key] for key in sorted(logs)}

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        """Updates the compiled metrics with a batch; returns the current logs."""
        self._update_compiled_metrics(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def _update_compiled_metrics(self, y, y_pred, sample_weight):
        if y is None and not self._compile_metrics.entries:
            return  # nothing to compare with: a model trained on its `add_loss` losses alone
        if self._compile_metrics.entries is None:
            self._build_compiled(y, y_pred)
        self._compile_metrics.update_state(y, y_pred, sample_weight)

    # ------------------------------------------------------------------- loss
    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled loss plus any `add_loss`/regularization losses, as one scalar."""
        total = None
        if self._compile_loss is not None and not self._compile_loss.is_empty:
            if self._compile_loss.names is None:
                self._build_compiled(y, y_pred)
            total = self._compile_loss(y, y_pred, sample_weight)
        if layer_module.extra_losses_in_use():
            for extra in self.losses:
                total = extra if total is None else total + extra
        if total is None:
            raise ValueError(
                "No loss to compute: pass `loss=` to compile() (e.g. loss='mse'), or add losses with `add_loss`."
            )
        return total

    # ------------------------------------------------------------------ steps
    def train_step(self, data):
        """One optimization step on a batch `(x, y)` or `(x, y, sample_weight)`; returns the logs."""
        if self._overrides_compute_metrics():
            return self._train_batch_on_tape(data, metrics_by="compute_metrics")
        self._train_batch(data)
        return self.get_metrics_result()

    def test_step(self, data):
        """Computes loss and metrics on a batch without training; returns the logs."""
        if self._overrides_compute_metrics():
            return self._test_batch_on_tape(data, metrics_by="compute_metrics")
        self._test_batch(data)
        return self.get_metrics_result()

    def _overrides_compute_metrics(self):
        # As Keras's steps, the built-in ones end with `self.compute_metrics(...)`: a model that
        # overrides it (to log a value of its own) gets its logs; the steps then run on the tape.
        return type(self).compute_metrics is not Trainer.compute_metrics

    def predict_step(self, data):
        x, _, _ = data_adapter.unpack_x_y_sample_weight(data)
        return data_adapter.to_numpy_structure(self(x, training=False))

    def _train_batch(self, data):
        """`train_step` without building the logs: compiled when possible, else on the tape."""
        if self._compiled_steps is not None and self._compiled_steps.run("train", data) is not NotImplemented:
            return
        self._train_batch_on_tape(data)

    def _train_batch_on_tape(self, data, metrics_by=None):
        """The reference training step. With `metrics_by="compute_metrics"` the metrics are
        updated by `self.compute_metrics`, whose logs are returned."""
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        variables = self._step_variables or self.trainable_weights
        if layer_module.extra_losses_in_use():
            self._clear_losses()
        with GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self._step_loss(x, y, y_pred, sample_weight, training=True)
            # As Keras, the gradients are those of the scaled loss (the optimizer unscales them).
            scaled_loss = self.optimizer.scale_loss(loss)
        gradients = tape.gradient(scaled_loss, variables)
        if metrics_by is None:
            self._apply_and_track(gradients, variables, loss, y, y_pred, sample_weight, self._batch_size_of(x))
            return None
        self.optimizer.apply(gradients, variables)
        self._loss_tracker.update_state(value_of(loss), sample_weight=self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _test_batch(self, data):
        if self._compiled_steps is not None and self._compiled_steps.run("test", data) is not NotImplemented:
            return
        self._test_batch_on_tape(data)

    def _test_batch_on_tape(self, data, metrics_by=None):
        x, y, sample_weight = data_adapter.unpack_x_y_sample_weight(data)
        if layer_module.extra_losses_in_use():
            self._clear_losses()
        y_pred = self(x, training=False)
        loss = self._step_loss(x, y, y_pred, sample_weight, training=False)
        if metrics_by is None:
            self._track(loss, y, y_pred, sample_weight, self._batch_size_of(x))
            return None
        self._loss_tracker.update_state(value_of(loss), sample_weight=self._batch_size_of(x))
        return self.compute_metrics(x, y, y_pred, sample_weight)

    def _predict_batch(self, data):
        if self._compiled_steps is not None:
            outputs = self._compiled_steps.run("predict", data)
            if outputs is not NotImplemented:
                return outputs
        return self.predict_step(data)

    def _apply_and_track(self, gradients, variables, loss, y, y_pred, sample_weight, batch_size):
        """The end of a training step, shared by the tape and the compiled step."""
        self.optimizer.apply(gradients, variables)
        self._track(loss, y, y_pred, sample_weight, batch_size)

    def _track(self, loss, y, y_pred, sample_weight, batch_size):
        """Updates the loss tracker and the compiled metrics with a batch's results."""
        self._loss_tracker.update_state(value_of(loss), sample_weight=batch_size)
        self._update_compiled_metrics(y, y_pred, sample_weight)

    @staticmethod
    def _batch_size_of(x):
        return x.shape[0] if type(x) is np.ndarray else data_adapter.first_leaf(x).shape[0]

    def _start_compiled_steps(self):
        """The compiled steps for this call of fit/evaluate/predict: programs recorded by earlier
        calls are kept (each checks it still applies), the reasons to use the tape re-read."""
        if self._compiled_steps is None:
            self._compiled_steps = CompiledSteps(self)
        else:
            self._compiled_steps.refresh()

    @property
    def compiled_step_reason(self):
        """Why the last `fit`/`evaluate`/`predict` ran (partly) on the tape: `{mode: reason}`;
        empty when every step ran compiled (see nanokeras/trainers/step_program.py)."""
        steps = self._compiled_steps
        if steps is None:
            return {}
        return {mode: reason for mode, reason in steps.reason.items() if reason is not None}

    @property
    def tiny_program_reason(self):
        """Why the last `fit`/`evaluate` did not run as generated scalar code (the tiny-model
        path, nanokeras/trainers/tiny_program.py): `{mode: reason}`; empty when it did."""
        steps = self._compiled_steps
        if steps is None or steps.tiny is None:
            return {}
        return {mode: reason for mode, reason in steps.tiny.reason.items() if reason is not None}

    @property
    def _compiled_source(self):
        """The source of the last generated tiny-model program (None when there is none)."""
        steps = self._compiled_steps
        return None if steps is None or steps.tiny is None else steps.tiny.source

    # --------------------------------------------------------------- the data
    def _prepare(self, x, y=None, sample_weight=None, prefix=""):
        """Validated arrays (or lists/dicts of them, for several inputs or outputs): x as floats
        matching the model's input, y numeric, weights with one row per sample (one array per
        output, or one for all of them)."""
        allow_int = self._accepts_integer_inputs()
        allow_str = self._takes_string_inputs
        # `fit([x], [y])` on a model with one input and one output: Keras takes the lists' arrays.
        single = getattr(self, "_one_input_one_output", False)
        if _one_array_in_a_list(x) and (single or len(_known(self, "inputs")) == 1):
            x = x[0]
        if _one_array_in_a_list(y) and (single or len(_known(self, "outputs")) == 1):
            y = y[0]
        x = data_adapter.map_structure(
            lambda value, name: data_adapter.to_numeric_array(value, name, allow_int=allow_int, allow_str=allow_str),
            x, prefix + "x")
        if isinstance(x, np.ndarray):
            x = check_features(self, x, prefix + "x")
        named = data_adapter.named_leaves(x, prefix + "x")
        if y is not None:
            y = data_adapter.map_structure(data_adapter.to_numeric_array, y, prefix + "y")
            named.update(data_adapter.named_leaves(y, prefix + "y"))
        data_adapter.check_same_length(named)
        count = data_adapter.first_leaf(x).shape[0]
        weights = data_adapter.standardize_sample_weight(sample_weight, count, prefix + "sample_weight", y)
        return x, y, weights

    def _with_class_weight(self, class_weight, y, sample_weight):
        if class_weight is None:
            return sample_weight
        if sample_weight is not None:
            raise ValueError(
                "`class_weight` and `sample_weight` cannot be used together (as in Keras): "
                "multiply the class weights into `sample_weight` instead."
            )
        return data_adapter.class_weights_to_sample_weights(class_weight, y)

    def _takes_string_inputs(self):
        return data_adapter.takes_string_inputs(self)

    def _accepts_integer_inputs(self):
        """True when integer features should stay integers (ids for lookups/embeddings)."""
        inputs = getattr(self, "inputs", None) or []
        if any(t.dtype != "string" and np.dtype(t.dtype).kind in "iub" for t in inputs):
            return True
        layers = getattr(self, "layers", [])
        return bool(layers) and getattr(layers[0], "_keeps_integer_inputs", False)

    def _probe_outputs(self, x):
        """The model's outputs for the first sample, to tie losses and metrics to the outputs: a
        look that changes nothing. Stateful layers keep their states, and variables a layer
        assigns in `call` (a counter of the user's) are put back, as Keras's symbolic look leaves them."""
        first = data_adapter.map_structure(lambda a, _: a[:1], x)
        with probing.outputs_only():
            if not self.built:  # building assigns initial values, which must stay
                return self._outputs_of_the_call(first)
            with StatelessScope():
                return self._outputs_of_the_call(first)

    def _step_loss(self, x, y, y_pred, sample_weight, training):
        """`compute_loss` as the steps call it: `training` goes only to an override that takes it
        (keras.io's distiller overrides `compute_loss(self, x, y, y_pred, sample_weight, allow_empty)`), as Keras."""
        if _takes_training(type(self).compute_loss):
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def _layers_without_jit(self):
        """The model and layers whose `supports_jit` is False (Keras cannot compile them with XLA)."""
        return [layer for layer in [self] + list(self._flat_layers()) if not layer.supports_jit]

    def _defines_call(self):
        """Whether the model has a `call` to run (a `Model` subclass may define only `train_step`)."""
        return True

    def _build_on_data(self, data_shape, batch_size=None):
        """Builds the model for data of `data_shape`, read in batches of `batch_size` (None: one batch).
        As Keras, which builds an unbuilt model by calling it on the first batch: its layers keep
        that batch's shape (`get_build_config()`, `summary()` show `(4, 3)` after `batch_size=4`)."""
        first = data_shape[0] if batch_size is None else min(batch_size, data_shape[0])
        self.build((first,) + tuple(data_shape[1:]))

    def _build_on_first_batch(self, x, batch_size):
        leaves = []
        data_adapter.map_structure(lambda a, _: leaves.append(a), x)
        leaves = [a for a in leaves if isinstance(a, np.ndarray) and a.ndim]
        if not leaves:
            return
        rows = len(leaves[0]) if batch_size is None else min(batch_size, len(leaves[0]))
        with probing.outputs_only():
            self._outputs_of_the_call(data_adapter.map_structure(lambda a, _: a[:rows], x))

    def _outputs_of_the_call(self, x):
        """`predict_on_batch` with the model's own call (not an overridden `predict_step`)."""
        outputs = data_adapter.keys_sorted(data_adapter.to_numpy_structure(self(x, training=False)))
        self._forget_call_losses()
        return outputs

    def _prepare_for_training(self, x, y, prefix="", batch_size=None):
        """Builds the model and metrics on a sample, checks labels against the loss once,
        and returns `y` shaped and typed as the loss will use it (so steps don't redo it)."""
        if not self.built and isinstance(x, np.ndarray):
            self._build_on_data(x.shape, batch_size)
        elif not self.built and isinstance(x, (dict, list, tuple)) and self._defines_call():
            # Several inputs: built by a call on the first batch too, as Keras builds it.
            self._build_on_first_batch(x, batch_size)
        if not self._defines_call():
            # Nothing to look at (keras.io's GAN has only a `train_step`): the steps run as written,
            # and a built-in step that needs the call fails there, as in Keras.
            return y
        if y is None:
            if self._compile_loss.is_empty and not (self._metrics_spec or self._weighted_metrics_spec):
                # Only `add_loss` losses (e.g. a variational autoencoder's): no labels needed, as in Keras.
                self._build_compiled(None, self._probe_outputs(x))
                return None
            raise ValueError(
                f"`{prefix}y` is required: the compiled loss and metrics compare predictions with labels. "
                "(A model that computes its own loss with `add_loss` compiles without `loss=` and trains on x alone.)"
            )
        y_pred = self._probe_outputs(x)
        names = compile_utils.output_names_of(self, y_pred)
        named = compile_utils.outputs_are_named(self, y_pred)
        ys = compile_utils.align(y, names, prefix + "y")
        preds = compile_utils.align(y_pred, names, "the model's outputs")
        self._compile_loss.build(y_pred, names, named)
        if not self._compile_loss.is_empty:
            from nanokeras.losses.target_checks import check_targets

            losses = [self._compile_loss.single[0]] if self._compile_loss.single else [
                loss for _, loss, _ in self._compile_loss.outputs]
            for loss, y_i, pred_i in zip(losses, ys, preds):
                if loss is not None:
                    check_targets(loss, y_i, np.shape(pred_i))
        self._compile_metrics.build(data_adapter.map_structure(lambda a, _: a[:1], y), y_pred, names, named)
        # Labels (n,) for outputs (n, 1) become (n, 1), and integer labels become floats for
        # the losses that compare them with probabilities, once here rather than at every step
        # (the losses would do the same conversions per batch).
        losses = [self._compile_loss.single[0]] if self._compile_loss.single else [
            loss for _, loss, _ in (self._compile_loss.outputs or [])] or [None] * len(ys)
        shaped = []
        for y_i, p, loss in zip(ys, preds, losses):
            if y_i.ndim == np.ndim(p) - 1 and np.shape(p)[-1] == 1:
                y_i = y_i.reshape(y_i.shape + (1,))
            if y_i.dtype.kind in "iub" and _casts_labels_to_floats(loss):
                y_i = y_i.astype(np.asarray(p).dtype)
            shaped.append(y_i)
        if isinstance(y, dict):
            return dict(zip(names, shaped))
        if isinstance(y, (list, tuple)):
            return type(y)(shaped)
        return shaped[0]

    # -------------------------------------------------------------------- fit
    @quiet_floating_point_errors
    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1, **kwargs):
        """Trains the model for `epochs` passes over `x`, `y`.

        Args:
            x, y: features and labels (numpy arrays or lists).
            batch_size: samples per gradient step (32 by default).
            epochs: the epoch to stop at (with `initial_epoch`, training runs from there).
            verbose: `"auto"`/1 (progress bar), 2 (one line per epoch), 0 (silent).
            callbacks: a list of `keras.callbacks.Callback`.
            validation_split: the fraction of the data (taken from the end) held out for validation.
            validation_data: `(x_val, y_val)` or `(x_val, y_val, sample_weight_val)`, tuple or list.
            shuffle: shuffle the training data every epoch, with numpy's global generator, in
                Keras's order (`"batch"` shuffles the samples within each batch, as Keras 3 does).
            class_weight: `{class index: weight}` to weight the loss per class.
            sample_weight: one weight per training sample.
            validation_batch_size: batch size for validation. Unset, validation runs in
                large batches whenever nothing can observe the batching (same numbers,
                much faster with `batch_size=1`); Keras would use `batch_size`.

        Returns:
            A `History` whose `.history` maps `loss`, metric names and `val_*` to per-epoch values.
        """
        if "nb_epoch" in kwargs:  # Keras 1's name, which Keras 2 still took (with a warning)
            keras2_notes.note("nb_epoch", used="`model.fit(..., nb_epoch=10)`", instead="`model.fit(..., epochs=10)`")
            epochs = kwargs.pop("nb_epoch")
        _check_method_keywords("fit", kwargs, Trainer.fit)
        self._assert_compiled("fit")
        batch_size = check_fit_arguments(
            batch_size=batch_size, epochs=epochs, validation_split=validation_split,
            validation_data=validation_data, initial_epoch=initial_epoch, steps_per_epoch=steps_per_epoch,
            validation_freq=validation_freq, shuffle=shuffle, validation_batch_size=validation_batch_size,
        )
        verbose = check_verbose(verbose)
        epochs = _limited(epochs, config.max_epochs(), "epochs")
        steps_per_epoch = _limited(steps_per_epoch, config.max_steps_per_epoch(), "steps_per_epoch")
        validation_steps = _limited(validation_steps, config.max_steps_per_epoch())
        if batch_sources.is_batch_source(x):
            # A Sequence (e.g. ImageDataGenerator.flow) or a generator makes its own batches.
            batches, validation = batch_sources.prepare_fit(
                self, x, y, sample_weight, class_weight, validation_data, validation_split, shuffle,
                steps_per_epoch, validation_steps)
        else:
            x, y, sample_weight = self._prepare(x, y, sample_weight)
            validation = None
            if validation_data is not None and batch_sources.is_batch_source(validation_data):
                validation = batch_sources.prepare_validation(self, validation_data, validation_steps)
            elif validation_data is not None:
                val_x, val_y, val_w = data_adapter.unpack_x_y_sample_weight(tuple(validation_data))
                validation = self._prepare(val_x, val_y, val_w, prefix="validation_data ")
            elif validation_split:
                (x, y, sample_weight), validation = data_adapter.train_validation_split(
                    (x, y, sample_weight), validation_split)
            # As Keras: the data is split first, and only the training part is weighted by class.
            sample_weight = self._with_class_weight(class_weight, y, sample_weight)
            y = self._prepare_for_training(x, y, batch_size=batch_size)
            if isinstance(validation, tuple):
                val_y = self._prepare_for_training(validation[0], validation[1], prefix="validation_data ")
                validation = (validation[0], val_y, validation[2])
            # The built-in step keeps no reference to a batch: shuffled batches reuse their arrays.
            reuse = type(self).train_step is Trainer.train_step
            batches = data_adapter.ArrayBatches((x, y, sample_weight), batch_size, shuffle, steps_per_epoch,
                                                reuse_buffers=reuse)
        if self._keras_peeks_before_fit():
            batches.draw_discarded_peek()
        self._warn_if_nothing_to_train()
        callback_list = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                                     verbose=verbose, epochs=epochs, steps=batches.steps_per_epoch)
        self._step_variables = self.trainable_weights
        self._start_compiled_steps()
        atomic_update.reinstall()  # Ctrl-C waits for a step to end (see optimizers/atomic_update.py)
        self.stop_training = False
        training_logs = None
        # A callback (BackupAndRestore) may set `_initial_epoch` to resume an interrupted run.
        self._initial_epoch = None
        callback_list.on_train_begin()
        initial_epoch = self._initial_epoch or initial_epoch
        self._initial_epoch = None
        validation_batch_size = validation_batch_size or batch_size  # as Keras
        try:
            with blas_threads():
                for epoch in range(initial_epoch, epochs):
                    self.reset_metrics()
                    callback_list.on_epoch_begin(epoch)
                    logs = self._run_batches("train", batches, callback_list)
                    epoch_logs = self._logs_to_floats(logs)
                    if validation is not None and _should_validate(epoch, validation_freq):
                        val_logs = self._evaluate_arrays(validation, validation_batch_size, validation_steps,
                                                         callback_list)
                        epoch_logs.update({"val_" + name: value for name, value in val_logs.items()})
                        # one sorted order, as Keras on JAX gives (`weighted_accuracy` after `val_loss`)
                        epoch_logs = {key: epoch_logs[key] for key in sorted(epoch_logs)}
                    callback_list.on_epoch_end(epoch, epoch_logs)
                    training_logs = epoch_logs
                    if self.stop_training:
                        break
        finally:
            self._step_variables = None
            finalize = getattr(self.optimizer, "finalize_variable_values", None)
            if finalize is not None and epochs > 0:
                # As Keras, even after an error: with `use_ema=True` the weights become their averages.
                finalize(self.trainable_weights)
            self._forget_call_losses()
        callback_list.on_train_end(logs=training_logs)
        return callback_list.history

    def _run_batches(self, mode, batches, callback_list):
        """Runs `mode`'s step ("train" or "test") on every batch, calling the batch hooks.

        With the built-in `train_step`/`test_step`, a step builds no logs unless a callback
        reads them (the progress bar only when it redraws); their values are the same.
        Returns the last step's logs, or None when they were never built.
        """
        custom = (getattr(type(self), mode + "_step") is not getattr(Trainer, mode + "_step")
                  or self._overrides_compute_metrics())
        run = _packed_step(getattr(self, mode + "_step")) if custom else getattr(self, "_" + mode + "_batch")
        begin_hook = callback_list.hook_if_used(f"on_{mode}_batch_begin")
        end_hook = callback_list.hook_if_used(f"on_{mode}_batch_end")
        # With `steps_per_execution=N` the batch hooks see groups of N steps, as in Keras:
        # begin with the group's first step index, end with first + N - 1.
        group = getattr(self, "steps_per_execution", 1) or 1
        logs = None
        if (begin_hook is None and end_hook is None and not custom and self._compiled_steps is not None
                and self._compiled_steps.run_epoch(mode, batches) is not NotImplemented):
            return logs  # the whole epoch ran as one call of generated code (trainers/tiny_program.py)
        # (Closed on leaving the loop, early or by an error: a dataset's reader threads stop there.)
        with contextlib.closing(batches.batches()) as epoch_batches:
            for step, batch in enumerate(epoch_batches):
                first = step - step % group
                if begin_hook is not None and step == first:
                    begin_hook(step)
                result = run(batch)
                if custom:
                    logs = result
                last_of_group = step == first + group - 1 or step == (batches.steps_per_epoch or 0) - 1
                if end_hook is not None and last_of_group:
                    callback_list.batch_end(f"on_{mode}_batch_end", first + group - 1,
                                            logs if custom else self._sorted_metrics_result)
                if mode == "train" and self.stop_training and last_of_group:
                    break
        return logs

    def _logs_to_floats(self, logs):
        if logs is None:
            return self._sorted_metrics_result()
        floats = {}
        for key, value in sorted(logs.items(), key=lambda item: str(item[0])):
            if isinstance(value, dict):  # a custom step's nested logs are flattened, as in Keras
                floats.update(self._logs_to_floats(value))
                continue
            value = value_of(value)
            floats[key] = float(np.asarray(value)) if np.ndim(value) == 0 else value
        return floats

    # --------------------------------------------------------------- evaluate
    @quiet_floating_point_errors
    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None, steps=None,
                 callbacks=None, return_dict=False, **kwargs):
        """Returns the loss and metric values on `x`, `y`.

        Returns:
            The loss alone when no metric was compiled; else `[loss, metric, ...]`
            in compile order; or a dict when `return_dict=True`.
        """
        self._assert_compiled("evaluate")
        _check_method_keywords("evaluate", kwargs, Trainer.evaluate)
        batch_size = check_batch_size(batch_size)
        verbose = check_verbose(verbose)
        steps = _limited(check_steps(steps), config.max_steps_per_epoch(), "steps")
        if batch_sources.is_batch_source(x):
            arrays = batch_sources.prepare_validation(self, x, steps, argument="x")
            steps_total = arrays.steps_per_epoch
        else:
            arrays = self._prepare(x, y, sample_weight)
            arrays = (arrays[0], self._prepare_for_training(arrays[0], arrays[1], batch_size=batch_size), arrays[2])
            steps_total = int(np.ceil(self._batch_size_of(arrays[0]) / batch_size)) if steps is None else steps
        self._built_since_compile = True
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                                     epochs=1, steps=steps_total)
        self._start_compiled_steps()
        with blas_threads():
            logs = self._evaluate_arrays(arrays, batch_size, steps, callback_list)
        self._build_optimizer_as_keras_does()
        if return_dict:
            return logs
        return self._logs_in_metrics_order(logs)

    def _logs_in_metrics_order(self, logs):
        """`logs` as Keras's list (see `_log_keys_in_order`); one value alone unwrapped."""
        ordered = [logs[key] for key in self._log_keys_in_order(logs)]
        return ordered[0] if len(ordered) == 1 else ordered

    def _log_keys_in_order(self, keys):
        """`keys` in the order of Keras's evaluate list: the metrics' own names that are keys (a name
        there twice comes twice; a compiled metric's log key may differ from its name), then the
        other keys, sorted. The names are taken in Keras 3's order (the loss, the compiled metrics,
        then each output's loss): `model.metrics` lists the per-output losses before the compiled
        metrics, as Keras 2 did."""
        metrics = self.metrics
        trackers = list(self._compile_loss.trackers) if self.compiled and self._compile_loss is not None else []
        if trackers:
            compiled = self._compile_metrics.metrics if self._compile_metrics is not None else []
            first = metrics.index(trackers[0])  # after the loss tracker
            metrics = metrics[:first] + compiled + trackers + metrics[first + len(trackers) + len(compiled):]
        names = [m.name for m in metrics]
        return [name for name in names if name in keys] + sorted(key for key in keys if key not in names)

    def _evaluate_arrays(self, arrays, batch_size, steps, callback_list):
        self.reset_metrics()
        if isinstance(arrays, batch_sources.SourceBatches):
            batches = arrays
            batches.restart()  # every evaluation reads its data from the start, as Keras's
        else:
            batches = data_adapter.ArrayBatches(arrays, batch_size, shuffle=False, steps_per_epoch=steps)
        callback_list.on_test_begin()
        logs = self._logs_to_floats(self._run_batches("test", batches, callback_list))
        self._forget_call_losses()
        callback_list.on_test_end(logs)
        return logs

    # ---------------------------------------------------------------- predict
    @quiet_floating_point_errors
    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None, **kwargs):
        """The model's outputs for `x`, as a numpy array, computed in batches.

        Example:
            >>> import numpy as np, nanokeras as keras
            >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
            >>> model.predict(np.zeros((3, 2)), verbose=0).shape
            (3, 1)
        """
        _check_method_keywords("predict", kwargs, Trainer.predict)
        batch_size = check_batch_size(batch_size)
        verbose = check_verbose(verbose)
        steps = _limited(check_steps(steps), config.max_steps_per_epoch(), "steps")
        if batch_sources.is_batch_source(x):
            batches = batch_sources.SourceBatches(x, self, steps_per_epoch=steps, steps_argument="steps")
            if not self.built or not batches.is_sequence:  # (Keras looks at a Sequence only to build)
                first = batches.first_batch()[0]
                if not self.built and isinstance(first, np.ndarray):
                    self._build_on_data(first.shape)
        else:
            allow_int = self._accepts_integer_inputs()
            allow_str = self._takes_string_inputs
            x = data_adapter.map_structure(
                lambda value, name: data_adapter.to_numeric_array(value, name, allow_int=allow_int,
                                                                  allow_str=allow_str),
                x, "x")
            if isinstance(x, np.ndarray):
                if not self.built:
                    self._build_on_data(x.shape, batch_size)
                x = check_features(self, x, "x")
            batches = data_adapter.ArrayBatches((x,), batch_size, shuffle=False, steps_per_epoch=steps)
        callback_list = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                                     epochs=1, steps=batches.steps_per_epoch)
        self._start_compiled_steps()
        custom = type(self).predict_step is not Trainer.predict_step
        run = _packed_step(self.predict_step) if custom else self._predict_batch
        begin_hook = callback_list.hook_if_used("on_predict_batch_begin")
        end_hook = callback_list.hook_if_used("on_predict_batch_end")
        callback_list.on_predict_begin()
        outputs = []
        with blas_threads(), contextlib.closing(batches.batches()) as epoch_batches:
            # Two batches at a time on two cores (parallel_predict.py): the progress bar still
            # advances batch by batch, in order; a callback of the user's keeps the loop below.
            if (not custom and begin_hook is None and isinstance(batches, data_adapter.ArrayBatches)
                    and callback_list.only_progress_bar_uses("on_predict_batch_end")):
                parallel = parallel_predict.predict_batches(
                    self, batches,
                    None if end_hook is None else lambda step, output: end_hook(step, {"outputs": output}))
                if parallel is not NotImplemented:
                    self._forget_call_losses()
                    callback_list.on_predict_end()
                    return data_adapter.keys_sorted(data_adapter.concatenate_batches(parallel))
            for step, batch in enumerate(epoch_batches):
                if begin_hook is not None:
                    begin_hook(step)
                outputs.append(run(batch))
                if end_hook is not None:
                    end_hook(step, {"outputs": outputs[-1]})
        self._forget_call_losses()
        callback_list.on_predict_end()
        return data_adapter.keys_sorted(data_adapter.concatenate_batches(outputs))

    def _keras_peeks_before_fit(self):
        """Whether Keras 3 would build the model from a first batch at the start of this `fit`:
        its first fit/evaluate/train_on_batch/test_on_batch since `compile`, or an unbuilt model.
        Its peek draws a shuffle order it then discards; nanokeras draws it too, so that after
        `keras.utils.set_random_seed` the epochs visit the samples in Keras's order."""
        peeks = not self._built_since_compile or not getattr(self, "built", True)
        self._built_since_compile = True
        return peeks

    # ------------------------------------------------------- one-batch forms
    @quiet_floating_point_errors
    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None, return_dict=False):
        """One training step on one batch; returns the loss (and metrics) after it."""
        self._assert_compiled("train_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight)
        sample_weight = self._with_class_weight(class_weight, y, sample_weight)
        y = self._prepare_for_training(x, y)
        data = (x, y) if sample_weight is None else (x, y, sample_weight)
        self._built_since_compile = True
        self._warn_if_nothing_to_train()
        self.reset_metrics()
        logs = self._logs_to_floats(self.train_step(data))
        self._forget_call_losses()
        return self._format_batch_logs(logs, return_dict)

    @quiet_floating_point_errors
    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """Loss (and metrics) on one batch, without training."""
        self._assert_compiled("test_on_batch")
        x, y, sample_weight = self._prepare(x, y, sample_weight)
        y = self._prepare_for_training(x, y)
        data = (x, y) if sample_weight is None else (x, y, sample_weight)
        self._built_since_compile = True
        self.reset_metrics()
        logs = self._logs_to_floats(self.test_step(data))
        self._forget_call_losses()
        self._build_optimizer_as_keras_does()
        return self._format_batch_logs(logs, return_dict)

    def _warn_if_nothing_to_train(self):
        """Once per `compile`: training a built model whose weights are all frozen changes nothing
        (Keras on TensorFlow warns too). Keras 2's GAN recipe froze the discriminator after compiling
        it and still trained it with `train_on_batch`; in Keras 3 `trainable` takes effect at once."""
        if self.trainable_weights or not self.weights or getattr(self, "_warned_nothing_to_train", False):
            return
        self._warned_nothing_to_train = True
        warnings.warn(
            f"The model {self.name!r} has no trainable weights, so training it changes no weight. If you set "
            "`trainable = False` on it (or its layers) after `compile()`, as Keras 2's GAN recipe does for the "
            "discriminator, set it back to True before training it: in Keras 3 (and nanokeras) `trainable` "
            "takes effect at once, not at the next `compile()`.", UserWarning, stacklevel=4)

    def _build_optimizer_as_keras_does(self):
        """Keras 3 (on JAX) builds the optimizer's slots for all trainable weights when `evaluate` or
        `test_on_batch` first runs on a built model, so `summary()` counts them and a saved file holds
        them afterwards; `predict` builds nothing."""
        optimizer = getattr(self, "optimizer", None)
        if optimizer is not None and not optimizer.built and getattr(self, "built", False):
            optimizer.build(self.trainable_weights)

    def _forget_call_losses(self):
        # Keras runs these steps statelessly: afterwards `model.losses` holds no `add_loss` loss.
        if layer_module.extra_losses_in_use():
            self._clear_losses()

    def _format_batch_logs(self, logs, return_dict):
        if return_dict:
            return logs
        return self._logs_in_metrics_order(logs)


def _packed_step(step):
    """A user's `train_step`/`test_step`/`predict_step` sees a batch as Keras hands it over: `x`
    alone when there are no labels (a VAE's or a GAN's `fit(images)`), else `(x, y[, sample_weight])`."""

    def run(batch):
        if type(batch) is tuple and len(batch) == 1:
            batch = pack_x_y_sample_weight(batch[0])
        return step(batch)

    return run


def _check_method_keywords(method, kwargs, function):
    """A clear error (with the likely intended name) for keywords `fit`/`evaluate`/`predict` do not take."""
    if kwargs:
        import inspect

        from nanokeras.utils.keyword_arguments import unknown_keywords_error

        known = [name for name, parameter in inspect.signature(function).parameters.items()
                 if name != "self" and parameter.kind is not inspect.Parameter.VAR_KEYWORD]
        raise unknown_keywords_error(f"{method}()", kwargs, known)


def _casts_labels_to_floats(loss):
    """True for a loss that declares it turns integer labels into floats anyway, so they can
    be converted once per `fit` (a user's loss gets the labels as given)."""
    return bool(getattr(loss, "casts_labels_to_float", False))


def _check_steps_per_execution(value):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"`steps_per_execution` must be a positive integer, got {value!r}.")
    return int(value)


def _limited(count, limit, name=None):
    """`count` capped by a debugging limit of `keras.config` (None: no count, or no limit)."""
    if limit and (count is None or limit < count):
        if name is not None:
            warnings.warn(f"Limiting {name} to {limit}", stacklevel=3)  # Keras's words
        return limit
    return count


def _should_validate(epoch, validation_freq):
    if isinstance(validation_freq, int):
        return (epoch + 1) % validation_freq == 0
    return (epoch + 1) in validation_freq


def _log_value(value):
    """A metric result as Keras logs it: a float for a scalar, else a numpy array (F1Score's
    per-class scores with `average=None`, also with one class)."""
    array = np.asarray(value_of(value))
    return float(array) if array.ndim == 0 else array


def _one_array_in_a_list(value):
    return (type(value) in (list, tuple) and len(value) == 1
            and (isinstance(value[0], np.ndarray) or hasattr(value[0], "__array__")))


def _known(model, attribute):
    """The model's `inputs` or `outputs` (a graph's; empty for a subclassed model, whose
    `call` may take a list of one array)."""
    try:
        return getattr(model, attribute, None) or []
    except (AttributeError, ValueError):
        return []
