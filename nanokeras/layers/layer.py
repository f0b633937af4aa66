"""`Layer`: the building block of models. State (weights) plus a computation (`call`).

A layer's life: `__init__` stores hyper-parameters; `build(input_shape)` creates
weights with `add_weight` the first time the layer sees an input; `call(inputs)`
computes with `keras.ops`. Gradients come from the ops, so a layer never writes
backward code.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> class Scale(keras.layers.Layer):
    ...     def build(self, input_shape):
    ...         self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones")
    ...     def call(self, x):
    ...         return x * self.w
    >>> Scale()(np.ones((2, 3), dtype="float32")).shape
    (2, 3)
"""

import functools
import inspect
import sys
import warnings

import numpy as np

from nanokeras.backend import masking, naming
from nanokeras.backend.dtype_policy import DTypePolicy
from nanokeras.backend.dtypes import InvalidDtypeError, standardize_dtype
from nanokeras.backend.state_scopes import stateless_slot
from nanokeras.graph.filled_arguments import keras_fills_call_arguments
from nanokeras.graph.keras_tensor import KerasTensor, any_symbolic
from nanokeras.graph.operation import Operation, infer_output_spec
from nanokeras.layers.input_spec import assert_input_compatibility
from nanokeras.layers.keras2_shapes import Keras2Shape
from nanokeras.layers.own_weights import OwnWeights
from nanokeras.layers.shape_arguments import shape_arguments, shape_parameters
from nanokeras.layers.tracked_containers import track
from nanokeras.ops.tape import is_tracked
from nanokeras.ops.tensor import TensorOperators
from nanokeras.ops.variable import Variable
from nanokeras.tree import flatten, map_structure
from nanokeras.utils.keyword_arguments import all_keywords, check_keyword_arguments, unknown_keywords_error

# `[True]` once any mask exists (`nanokeras.backend.masking`): until then layers skip mask work.
_mask_flag = masking._in_use

# Set once any layer adds a loss or a weight regularizer: until then a training
# step skips collecting `model.losses` (a walk over every layer).
_extra_losses_in_use = False


def extra_losses_in_use():
    return _extra_losses_in_use


def _note_extra_losses():
    global _extra_losses_in_use
    _extra_losses_in_use = True


# Counts changes to built layers' public attributes (`layer.activation = ...`,
# `layer.trainable = False`, a new weight...): a compiled step recorded before such a
# change no longer computes what the layers would, and is recorded again.
_configuration_version = 0
# How many layer calls are in progress (an outermost call has none around it).
_call_depth = 0
# Keras's call context: `[a layer call is in progress, its training flag]`. A layer called
# without `training=` inside another layer's call takes the flag the last enclosing call set
# (see `Layer._resolve_training`); the outermost call clears it when it returns.
_call_context = [False, None]


def configuration_version():
    return _configuration_version


def configuration_changed():
    """Tells compiled steps that a layer's state changed in a way they cannot see
    (e.g. `adapt` computed new statistics): they are recorded again."""
    global _configuration_version
    _configuration_version += 1


# Keyword arguments a first layer accepts to declare its input (Keras 2 style).
_INPUT_SHAPE_KWARGS = ("input_shape", "input_dim", "batch_input_shape", "batch_size", "batch_shape")


def _is_metric(value):
    """True for a `keras.metrics.Metric` (which declares itself; metrics live above layers)."""
    return getattr(type(value), "_is_keras_metric", False) is True


class Layer(Operation):
    """Base class of all layers.

    Args:
        trainable: whether the layer's weights are updated by training.
        name: a unique name; by default the snake-cased class name, made unique
            (`dense`, `dense_1`, ...).
        dtype: the dtype of the weights and computations, or a dtype policy (by default the
            global `keras.config.dtype_policy()`, named `floatx()` unless set). Under a mixed
            policy (`"mixed_float16"`) nanokeras computes in the variable dtype, float32.
        input_shape / input_dim / batch_input_shape: on a first layer of a
            `Sequential`, declare the input (without the batch axis), as in Keras 2.
    """

    # Keras 2's shapes of the layer's symbolic calls (with a note); models define their own.
    input_shape = Keras2Shape("input")
    output_shape = Keras2Shape("output")

    _is_symbolic_op = False  # a layer, with weights (an `Operation` alone is a weightless step)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Keras 2's `def call(self, inputs, training)`: a missing `training` becomes None.
        from nanokeras.layers.required_training import with_training_default

        with_training_default(cls)
        _build_in_name_scope(cls)

    def __new__(cls, *args, **kwargs):
        # Before any `__init__` runs: `Dense(unit=3)` gets "did you mean 'units'?".
        check_keyword_arguments(cls, kwargs, extra=_INPUT_SHAPE_KWARGS)
        instance = super().__new__(cls)
        # A user's class without `get_config` gets Keras's automatic config: the constructor's
        # arguments, when they are all plain values (see `auto_config`).
        object.__setattr__(instance, "_auto_config", auto_config(cls, args, kwargs))
        return instance

    def __init__(self, activity_regularizer=None, trainable=True, dtype=None, autocast=True, name=None, **kwargs):
        input_shape = _pop_input_shape(kwargs, type(self).__name__)
        if kwargs:  # forwarded by a subclass whose own `**kwargs` `__new__` could not check
            raise unknown_keywords_error(type(self), kwargs, all_keywords(type(self)) + list(_INPUT_SHAPE_KWARGS))
        if name is not None and (not isinstance(name, str) or not name or "/" in name):
            raise ValueError(f"Layer `name` must be a non-empty string without '/', got {name!r}.")
        object.__setattr__(self, "_tracked_layers", [])
        object.__setattr__(self, "_own_weights", OwnWeights())
        object.__setattr__(self, "_metrics", [])
        Operation.__init__(self, name or naming.auto_name(type(self).__name__))
        if not masking.masks_in_use() and _makes_its_own_masks(type(self)):
            # A layer of the user's whose `compute_mask` makes a mask (`ops.not_equal(ids, 0)`) can
            # be a model's only mask source: mask passing must be on before its first call, as
            # `Embedding(mask_zero=True)` turns it on.
            masking.note_masks_in_use()
        # A dtype name, a `DTypePolicy` (its name), or None: the global policy (`keras.config.dtype_policy()`).
        # Keras's "string" dtype (text inputs): numpy keeps text in unicode or object arrays.
        if isinstance(dtype, dict):  # a policy as `get_config()` writes it: a `from_config` doing `cls(**config)`
            dtype = _dtype_name_from_config(dtype, type(self).__name__)
        if dtype in ("string", "str", str):
            self._dtype_policy = DTypePolicy()
            self.dtype = "string"
        else:
            if not isinstance(dtype, (DTypePolicy, str, type(None))):
                dtype = standardize_dtype(getattr(dtype, "name", dtype)).name
            self._dtype_policy = dtype if isinstance(dtype, DTypePolicy) else DTypePolicy(dtype)
            self.dtype = standardize_dtype(self._dtype_policy.variable_dtype).name
        self._trainable = bool(trainable)
        self.autocast = bool(autocast)
        # Where the layer was first built or called ("" at the top level, "sequential" inside a
        # Sequential's build, ...): its weights' paths start there, as Keras's name scopes give.
        self._parent_path = None
        self.built = False
        if activity_regularizer is not None:
            from nanokeras import regularizers

            activity_regularizer = regularizers.get(activity_regularizer)
            _note_extra_losses()
        self.activity_regularizer = activity_regularizer
        self._input_shape_arg = input_shape
        self._build_input_shape = None
        self._losses = []
        call_params = _call_parameters(type(self))
        self._call_takes_training = "training" in call_params
        self._call_training_default = _training_default(type(self)) if self._call_takes_training else None
        self._call_takes_mask = "mask" in call_params

    # ------------------------------------------------------------------ state
    def __setattr__(self, name, value):
        if name[0] != "_" and self.__dict__.get("built"):
            global _configuration_version
            _configuration_version += 1
        # Track sub-layers assigned as attributes (also inside lists), so their
        # weights belong to this layer.
        if (isinstance(value, (list, tuple, dict)) and not name.startswith("__")
                and self.__dict__.get("_tracked_layers") is not None and not _set_by_nanokeras()):
            # A user's container, filled now or later (`self.blocks = []`, then `append`): watched,
            # as Keras watches it, so the layers put in it at any depth are this layer's.
            object.__setattr__(self, "_tracking_attribute", name)
            try:
                value = track(self, value)
            finally:
                object.__setattr__(self, "_tracking_attribute", None)
        elif isinstance(value, Layer) and name not in ("_parent",):
            tracked = self.__dict__.get("_tracked_layers")
            if tracked is not None and all(value is not t for t in tracked):
                _refuse_new_state(self)
                tracked.append(value)
        elif isinstance(value, (list, tuple, dict)) and value:
            items = list(value.values()) if isinstance(value, dict) else value
            tracked = self.__dict__.get("_tracked_layers")
            if tracked is not None and all(isinstance(v, Layer) for v in items):
                for v in items:
                    if all(v is not t for t in tracked):
                        tracked.append(v)
            elif all(_is_metric(v) for v in items) and name not in self._untracked_metric_attributes:
                self._track_metrics(items)
        elif _is_metric(value) and name not in self._untracked_metric_attributes:
            # As Keras: a metric kept as an attribute belongs to `layer.metrics`, so a model's
            # `fit` resets it every epoch.
            self._track_metrics((value,))
        self._track_variables(value)
        object.__setattr__(self, name, value)

    # Attributes holding metrics the layer manages itself (a model's loss tracker, say).
    _untracked_metric_attributes = frozenset()
    _tracking_attribute = None

    def _track_contained(self, value):
        """A layer, variable or metric put in one of this layer's containers (`tracked_containers`)
        becomes this layer's, as if set as an attribute."""
        tracked = self.__dict__.get("_tracked_layers")
        if tracked is None:  # a copy being filled in, before its attributes are restored
            return
        if isinstance(value, Layer):
            if value is not self and all(value is not t for t in tracked):
                _refuse_new_state(self)
                tracked.append(value)
        elif isinstance(value, Variable):
            own = self._own_weights
            if all(value is not w for w in own):
                own.append(value)
        elif _is_metric(value) and self._tracking_attribute not in self._untracked_metric_attributes:
            self._track_metrics((value,))

    def _untrack_contained(self, value):
        """Undoes `_track_contained` for a value taken out of one of this layer's containers."""
        for store in (self.__dict__.get("_tracked_layers"), self.__dict__.get("_own_weights"),
                      self.__dict__.get("_metrics")):
            index = next((i for i, item in enumerate(store or ()) if item is value), None)
            if index is not None:
                del store[index]

    def _track_variables(self, value):
        """As Keras: a `keras.Variable` the user keeps as an attribute (alone, or all the items of
        a list, tuple or dict) is one of the layer's weights, trained and saved as `add_weight`'s.
        nanokeras's own bookkeeping (a stateful RNN's states, a trainer's lists of weights) is not."""
        own = self.__dict__.get("_own_weights")
        if own is None:
            return
        if isinstance(value, Variable):
            items = (value,)
        elif isinstance(value, (list, tuple, dict)) and value:
            items = list(value.values()) if isinstance(value, dict) else value
            if not all(isinstance(v, Variable) for v in items):
                return
        else:
            return
        if _set_by_nanokeras():
            return
        own.extend(v for v in items if all(v is not w for w in own))

    def _track_metrics(self, metrics):
        tracked = self.__dict__.get("_metrics")
        if tracked is not None:
            tracked.extend(m for m in metrics if all(m is not t for t in tracked))

    @property
    def metrics(self):
        """The metrics kept as attributes of this layer, then those of its sub-layers.

        Example:
            >>> import nanokeras as keras
            >>> class Counting(keras.layers.Layer):
            ...     def __init__(self):
            ...         super().__init__()
            ...         self.seen = keras.metrics.Sum(name="seen")
            >>> [m.name for m in Counting().metrics]
            ['seen']
        """
        return self._attribute_metrics()

    @property
    def metrics_variables(self):
        """The state variables of `metrics` (totals, counts, ...), metric by metric: what a
        stateless training loop carries from step to step.

        Example:
            >>> import nanokeras as keras
            >>> layer = keras.layers.Layer()
            >>> layer.seen = keras.metrics.Mean(name="seen")
            >>> [v.path for v in layer.metrics_variables]
            ['seen/total', 'seen/count']
        """
        return [variable for metric in self.metrics for variable in metric.variables]

    def _attribute_metrics(self, skip=()):
        """This layer's attribute metrics, then its sub-layers' `metrics` (not those of sub-layers of
        the types `skip`), each once."""
        metrics = list(self._metrics)
        for layer in self._tracked_layers:
            if not isinstance(layer, skip):
                metrics.extend(layer.metrics)
        seen = set()
        return [m for m in metrics if not (id(m) in seen or seen.add(id(m)))]

    def add_weight(
        self,
        shape=None,
        initializer=None,
        dtype=None,
        trainable=True,
        autocast=True,
        regularizer=None,
        constraint=None,
        aggregation="none",
        name=None,
    ):
        """Creates a weight `Variable` owned by this layer.

        Args:
            shape: the weight's shape (a tuple of ints); `()` for a scalar.
            initializer: a name (`"glorot_uniform"`, `"zeros"`, ...), an
                initializer object or a callable `(shape, dtype) -> array`.
                Defaults to `"glorot_uniform"` for floats.
            trainable: whether optimizers update it.
            regularizer / constraint: optional, as in Keras.
            name: the weight's name (`kernel`, `bias`, ...).
        """
        from nanokeras import constraints, initializers, regularizers

        _refuse_new_state(self)
        if shape is not None and not hasattr(shape, "__iter__"):
            # An int is not a shape (`(4,)` is): Keras refuses it with a ValueError too.
            raise ValueError(f"Layer {self.name!r}: `add_weight` needs `shape` as a tuple of ints, got {shape!r}.")
        shape = () if shape is None else tuple(shape)
        for dim in shape:
            if not isinstance(dim, (int, np.integer)) or dim < 0:
                raise ValueError(
                    f"Layer {self.name!r}: `add_weight` needs a shape of non-negative ints, got {shape}."
                )
        dtype = standardize_dtype(dtype or self.dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.kind == "f" else "zeros"
        initializer = initializers.get(initializer)
        with naming.name_scope(self.name, caller=self):
            variable = Variable(initializer, shape=shape, dtype=dtype.name, trainable=trainable,
                                aggregation=aggregation, name=name)
        if regularizer is not None:
            _note_extra_losses()
            variable.regularizer = regularizers.get(regularizer)
        if constraint is not None:
            variable.constraint = constraints.get(constraint)
        self._own_weights.append(variable)
        return variable

    def add_variable(self, shape, initializer, dtype=None, trainable=True, autocast=True, regularizer=None,
                     constraint=None, name=None):
        """Keras 3's other name for `add_weight` (shape and initializer required).

        Example:
            >>> import nanokeras as keras
            >>> layer = keras.layers.Layer(name="scaler")
            >>> layer.add_variable((2,), "ones", name="scale").path
            'scaler/scale'
        """
        return self.add_weight(shape=shape, initializer=initializer, dtype=dtype, trainable=trainable,
                               autocast=autocast, regularizer=regularizer, constraint=constraint, name=name)

    def _flat_layers(self):
        """This layer's sub-layers, depth first, each once."""
        seen, result = set(), []
        stack = list(reversed(self._tracked_layers))
        while stack:
            layer = stack.pop()
            if id(layer) in seen:
                continue
            seen.add(id(layer))
            result.append(layer)
            stack.extend(reversed(layer._tracked_layers))
        return result

    def _all_weights(self):
        """`(owner, weight)` pairs in Keras's order: each layer's own trainable then non-trainable
        weights (as each was when added: `OwnWeights`), layer by layer, depth first; each once."""
        weights, seen = [], set()
        for layer in [self] + self._flat_layers():
            for w in layer._own_weights.in_keras_order():
                if id(w) not in seen:
                    seen.add(id(w))
                    weights.append((layer, w))
        return weights

    @property
    def weights(self):
        """All weights, as Keras lists them: the layer's own (trainable first), then its sub-layers'."""
        return [w for _, w in self._all_weights()]

    @property
    def variables(self):
        return self.weights

    @property
    def trainable_weights(self):
        return [w for layer, w in self._all_weights() if w.trainable and layer._is_trainable_in(self)]

    @property
    def non_trainable_weights(self):
        return [w for layer, w in self._all_weights() if not (w.trainable and layer._is_trainable_in(self))]

    @property
    def trainable_variables(self):
        return self.trainable_weights

    @property
    def non_trainable_variables(self):
        return self.non_trainable_weights

    def _saved_variables(self):
        """The variables a `.keras` file holds for this layer, in Keras's order: its own weights,
        trainable first (Dense, EinsumDense, Conv1D-3D and Embedding hold only their named weights,
        `saved_by_name`, as Keras's do)."""
        return self._own_weights.in_keras_order()

    def save_own_variables(self, store):
        """Puts this layer's weights into `store` (a dict) under "0", "1", ...: what `model.save`
        writes for it. Override it (calling `super()`) to save more state, under keys of your own.

        Example:
            >>> import numpy as np, nanokeras as keras
            >>> layer = keras.layers.Dense(2)
            >>> _ = layer(np.ones((1, 3)))
            >>> store = {}
            >>> layer.save_own_variables(store)
            >>> sorted(store), store["0"].shape
            (['0', '1'], (3, 2))
        """
        for i, variable in enumerate(self._saved_variables()):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        """Assigns this layer's weights from `store` (what `save_own_variables` wrote). Override
        it with `save_own_variables`: an override reads every key itself, weights included."""
        variables = self._saved_variables()
        if len(store.keys()) != len(variables):
            raise ValueError(
                f"Layer {self.name!r} expected {len(variables)} variables, but received {len(store.keys())} "
                f"variables during loading. Expected: {[v.name for v in variables]}"
            )
        for i, variable in enumerate(variables):
            variable.assign(np.asarray(store[str(i)]).astype(variable.dtype, copy=False))

    load_own_variables._reads_saved_variables = True  # files validate it before assigning anything

    def _is_trainable_in(self, root):
        return self._trainable and root._trainable

    @property
    def trainable(self):
        return self._trainable

    @trainable.setter
    def trainable(self, value):
        value = bool(value)
        for layer in [self] + self._flat_layers():
            layer._trainable = value
            # As in Keras, the weights follow (`[w.trainable for w in layer.weights]`, a loop that
            # picks `v.trainable` ones); only those made trainable: a BatchNormalization's moving
            # statistics stay non-trainable when it is unfrozen.
            layer._own_weights.set_trainable(value)

    def get_weights(self):
        """The weights' values as a list of numpy arrays (copies), in `weights` order."""
        return [w.numpy() for w in self.weights]

    def set_weights(self, weights):
        """Sets the weights from a list of arrays, in `weights` order (checked before any change)."""
        own = self.weights
        weights = list(weights)
        if len(weights) != len(own):
            raise ValueError(
                f"Layer {self.name!r} expects {len(own)} weight arrays "
                f"(shapes {[tuple(w.shape) for w in own]}), but received {len(weights)}."
            )
        arrays = []
        for variable, value in zip(own, weights):
            value = np.asarray(value)
            if value.shape != variable.shape:
                raise ValueError(
                    f"Layer {self.name!r}: weight {variable.name!r} has shape {variable.shape}, "
                    f"but the provided array has shape {value.shape}."
                )
            arrays.append(value)
        for variable, value in zip(own, arrays):
            variable.assign(value)

    def count_params(self):
        """The number of scalars in all weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer {self.name!r}, but the layer isn't built. "
                "Build it first, e.g. by calling it on data or with `layer.build(input_shape)`."
            )
        return int(sum(np.prod(w.shape, dtype=np.int64) for w in self.weights))

    # ---------------------------------------------------------------- losses
    def add_loss(self, loss):
        """Adds a loss (a scalar, often a Tensor computed in `call`) to `model.losses`."""
        _note_extra_losses()
        if stateless_slot[0] is not None:  # inside a keras.StatelessScope: the scope's, as Keras
            if stateless_slot[0].collect_losses:
                stateless_slot[0].add_loss(loss)
            return
        self._losses.append(loss)

    def stateless_call(self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs):
        """`call(*args, **kwargs)` with the weights set to the given values, changing no state.

        Returns `(outputs, non_trainable_variables)`: the non-trainable values after the
        call (moving averages...); with `return_losses=True`, also the losses of the call.

        Example:
            >>> import numpy as np, nanokeras as keras
            >>> layer = keras.layers.Dense(1, kernel_initializer="ones")
            >>> _ = layer(np.ones((1, 2), "float32"))
            >>> out, _ = layer.stateless_call([np.full((2, 1), 2.0), np.zeros(1)], [], np.ones((1, 2), "float32"))
            >>> np.asarray(out).tolist(), layer.kernel.numpy().ravel().tolist()
            ([[4.0]], [1.0, 1.0])
        """
        from nanokeras.layers.stateless_call import stateless_call

        return stateless_call(self, trainable_variables, non_trainable_variables, *args,
                              return_losses=return_losses, **kwargs)

    @property
    def losses(self):
        """Losses of this layer and its sub-layers: those of `add_loss` in the latest call, then
        the regularizers' of the trainable weights (a frozen weight adds none), as in Keras."""
        result = []
        for layer in [self] + self._flat_layers():
            result.extend(layer._losses)
        for w in self.trainable_weights:
            if w.regularizer is not None:
                result.append(w.regularizer(w))
        return result

    def _clear_losses(self):
        for layer in [self] + self._flat_layers():
            if layer._losses:
                layer._losses = []

    # ------------------------------------------------------------- lifecycle
    def build(self, input_shape):
        """Creates the weights for inputs of `input_shape`; the base class has none."""
        self.built = True

    def get_build_config(self):
        """What `build_from_config` needs to build this layer again: `{"input_shape": ...}` once
        built by a call (None for a layer that needs no input shape). `.keras` files keep it.

        Example:
            >>> import numpy as np, nanokeras as keras
            >>> layer = keras.layers.Layer()
            >>> _ = layer(np.ones((2, 3)))
            >>> layer.get_build_config()
            {'input_shape': (2, 3)}
        """
        from nanokeras.saving.serialization_lib import default_build_config

        return default_build_config(self)

    def build_from_config(self, config):
        """Builds the layer from what `get_build_config` returned (loading a file does this)."""
        from nanokeras.saving.serialization_lib import default_build_from_config

        default_build_from_config(self, config)

    def _build_for(self, input_shape, shapes_dict=None):
        """Builds the layer for `input_shape`, or, for a user's `build(self, a_shape, b_shape)`, for
        `shapes_dict` (`{"a_shape": ..., "b_shape": ...}`: see `shape_arguments`)."""
        self._build_input_shape = input_shape
        if shapes_dict is not None:
            self.__dict__["_build_shapes_dict"] = shapes_dict
        object.__setattr__(self, "_building", True)  # weights and sub-layers may be made (see `_refuse_new_state`)
        try:
            with self._open_name_scope():
                if shapes_dict is None:
                    self.build(input_shape)
                else:
                    self.build(**shapes_dict)
        finally:
            object.__setattr__(self, "_building", False)
        self.built = True

    def _open_name_scope(self):
        """The layer's name scope, for building and calling it (as Keras): the first time it opens,
        the layer remembers where (its parent path); after that it always opens there, so a
        layer's weights get paths like `sequential/dense/kernel` whoever calls it later."""
        if self._parent_path is None:
            self._parent_path = naming.current_path()
        return naming.name_scope(self.name, caller=self)

    def call(self, inputs, *args, **kwargs):
        """The computation: override it. The base layer returns its input."""
        return inputs

    def compute_output_shape(self, input_shape):
        """The output shape for `input_shape`; by default, found by running `call` on zeros."""
        if any(d is None for d in input_shape[1:]):
            raise NotImplementedError(
                f"Layer {self.name!r} ({type(self).__name__}) cannot infer its output shape "
                f"for input shape {input_shape}; override `compute_output_shape`."
            )
        sample = np.zeros((1,) + tuple(input_shape[1:]), dtype=self.dtype)
        out = np.asarray(self.call(sample) if self.built else self(sample))
        return (input_shape[0],) + out.shape[1:]

    def __call__(self, inputs, *args, **kwargs):
        if inputs is None:
            # Mostly the output of a layer whose `call` returned nothing; Keras refuses it too.
            raise ValueError(
                f"Layer {self.name!r} ({type(self).__name__}) was called on None instead of a tensor. If "
                "it is the output of a layer of yours, that layer's `call` returns nothing: add `return`."
            )
        try:
            if _mask_flag[0]:  # some layer made a mask: masks may need passing on (see `_masked_call`)
                return self._masked_call(inputs, args, kwargs)
            return self._unmasked_call(inputs, args, kwargs)
        except AttributeError:
            # A subclass whose `__init__` skipped `super().__init__()` fails on a missing internal
            # attribute; say what to change, as Keras does (a RuntimeError there too).
            if "_own_weights" not in self.__dict__:
                raise RuntimeError(
                    f"Layer {type(self).__name__!r} was not initialized: its `__init__()` must call "
                    "`super().__init__()` (first, before creating sub-layers or weights)."
                ) from None
            raise

    def _unmasked_call(self, inputs, args, kwargs):
        # The common case first (an array or Tensor of the layer's dtype): this runs for
        # every layer at every training step, so it checks as little as it can.
        if type(inputs) is np.ndarray or isinstance(inputs, TensorOperators):
            if inputs.dtype != self._numpy_dtype:
                inputs = self._convert_inputs(inputs)
        elif isinstance(inputs, KerasTensor) or (type(inputs) in (list, tuple, dict) and any_symbolic(inputs)):
            return self._symbolic_call(inputs, *args, **kwargs)
        else:
            inputs = self._convert_inputs(inputs)
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name)
        if not self.built:
            _build_by_call(self, _shape_of(inputs), _build_shapes_dict(self, inputs, args, kwargs, _shape_of))
        if "mask" in kwargs:
            if kwargs["mask"] is not None and not _mask_flag[0]:
                # An explicit mask: from now on masks are passed from layer to layer.
                masking.note_masks_in_use()
                return self._masked_call(inputs, args, kwargs)
            if not self._call_takes_mask:
                del kwargs["mask"]
        outermost = not _call_context[0]
        _call_context[0], _call_context[1] = True, self._resolve_training(kwargs)
        try:
            if self._tracked_layers or self._parent_path is None:
                # Sub-layers may be built in `call`: inside this layer's name scope, as in Keras.
                with self._open_name_scope():
                    if not _extra_losses_in_use:
                        outputs = self.call(inputs, *args, **kwargs)
                    else:
                        outputs = self._call_collecting_losses(inputs, args, kwargs)
            elif not _extra_losses_in_use:
                outputs = self.call(inputs, *args, **kwargs)
            else:
                outputs = self._call_collecting_losses(inputs, args, kwargs)
        finally:
            if outermost:
                _call_context[0], _call_context[1] = False, None
        if self.activity_regularizer is not None:
            self.add_loss(
                self.activity_regularizer(outputs) / np.asarray(np.shape(outputs)[0], dtype=self.dtype)
            )
        return outputs

    def _resolve_training(self, kwargs):
        """The `training` flag of this call, by Keras's rule: the caller's `training=`; else that
        of the layer call this one runs inside (a `Dropout` in a custom block's `call` trains when
        the block is called with `training=True`, as in `fit`); else the default of `call`'s
        `training` parameter. It is put in `kwargs` when `call` takes it and it is not None."""
        if "training" in kwargs:
            training = kwargs["training"]
            if not self._call_takes_training:
                del kwargs["training"]
            return training
        training = _call_context[1]
        if training is None:
            training = self._call_training_default
        if training is not None and self._call_takes_training:
            kwargs["training"] = training
        return training

    def _call_collecting_losses(self, inputs, args, kwargs):
        """`call`, after forgetting the losses of the previous outermost call (as Keras):
        `layer.losses` holds those of the latest call only."""
        global _call_depth
        if _call_depth == 0:
            self._clear_losses()
        _call_depth += 1
        try:
            return self.call(inputs, *args, **kwargs)
        finally:
            _call_depth -= 1

    # What the layer accepts (a `keras.InputSpec`, or a list of them), checked on every call.
    input_spec = None
    # Set when the layer first opens its name scope (see `_open_name_scope`).
    _parent_path = None
    # Layers that consume integer ids (embeddings, lookups) set this to True.
    _keeps_integer_inputs = False
    # The default of `call`'s `training` parameter (set in `__init__`).
    _call_training_default = None
    # Layers that move, pick or combine values without weights (Reshape, Dropout, Add, ...) set
    # this to True: as Keras autocasts only floating inputs, integer and bool inputs reach `call`
    # unchanged and the ops decide the output's dtype (`Flatten()(int32)` is int32).
    _passes_integer_inputs = False
    # True when `call` computes only with replayable ops, never reads values into Python,
    # draws randomness and changes state only inside recorded ops: then a compiled training
    # step can replay it (see nanokeras/ops/trace.py). User layers run on the tape.
    _replayable = False

    def _replay_blocker(self):
        """A reason this instance cannot be replayed although its class can (e.g. it was given
        a function of the user's), or None."""
        return None

    # ---------------------------------------------------------------- masks
    @property
    def supports_masking(self):
        """Whether the layer passes a mask on (via `compute_mask`) instead of dropping it.

        True by default only for layers that define their own `compute_mask`.
        """
        value = self.__dict__.get("_supports_masking")
        if value is None:
            return type(self).compute_mask is not Layer.compute_mask
        return value

    @supports_masking.setter
    def supports_masking(self, value):
        self.__dict__["_supports_masking"] = bool(value)

    def compute_mask(self, inputs, previous_mask):
        """The mask of the outputs, given the inputs and their mask: by default, the input's mask."""
        return previous_mask

    def _masked_call(self, inputs, args, kwargs):
        """`__call__` once masks exist: hands the inputs' masks to `call` and marks the outputs'.

        As in Keras, a mask travels with its tensor: a layer whose `call` takes `mask`
        receives the mask of its (only) tensor argument; with several tensor arguments,
        an argument `x` gives its mask to a `x_mask` parameter. A layer that supports
        masking marks its outputs with `compute_mask(inputs, mask)`; one that does not
        drops the mask, with a warning.
        """
        if isinstance(inputs, KerasTensor) or (type(inputs) in (list, tuple, dict) and any_symbolic(inputs)):
            return self._unmasked_call(inputs, args, kwargs)
        if (kwargs.get("mask") is None and type(self).compute_mask is Layer.compute_mask
                and not _carries_a_mask((inputs, args, kwargs))):
            return self._unmasked_call(inputs, args, kwargs)  # no mask to pass on, none to make
        kwargs = dict(kwargs)
        previous_mask = _populate_mask_arguments(self, inputs, args, kwargs)
        outputs = self._unmasked_call(inputs, args, kwargs)
        self._mark_output_masks(inputs, outputs, previous_mask, masking.get_keras_mask)
        if not _call_context[0] and self._shows_eager_mask:
            # Called by the user, not from another layer: the outputs show their masks.
            outputs = _showing_masks(outputs)
        return outputs

    # A model's outputs stay plain arrays (what `predict` returns); layers' show their masks.
    _shows_eager_mask = True

    # Keras's flag for layers XLA can compile: a model holding one with False resolves
    # `compile(jit_compile="auto")` to False (nanokeras's compiled step runs them all the same).
    supports_jit = True

    def _mark_output_masks(self, inputs, outputs, previous_mask, read_mask):
        if not self.supports_masking:
            if any(m is not None for m in flatten(previous_mask)):
                warnings.warn(
                    f"Layer {self.name!r} (of type {type(self).__name__}) was passed an input with a mask "
                    "attached to it. However, this layer does not support masking and will therefore "
                    "destroy the mask information. Downstream layers will not see the mask.",
                    stacklevel=4,
                )
            return
        flat_outputs = flatten(outputs)
        if all(read_mask(x) is not None for x in flat_outputs):
            return
        output_masks = self.compute_mask(inputs, previous_mask)
        if output_masks is None:
            return
        for tensor, mask in zip(flat_outputs, flatten(output_masks) if isinstance(output_masks, (list, tuple))
                                else [output_masks]):
            if mask is not None and read_mask(tensor) is None:
                masking.set_keras_mask(tensor, mask)

    def _mark_symbolic_output_masks(self, inputs, args, kwargs, outputs):
        """Marks symbolic outputs with symbolic masks (shape and dtype), as Keras's `_keras_mask`."""
        previous_mask = kwargs.get("mask")
        if previous_mask is None:
            previous_mask = map_structure(masking.get_keras_mask, inputs)
        if not self.supports_masking:
            self._mark_output_masks(inputs, outputs, previous_mask, masking.get_keras_mask)
            return
        if type(self).compute_mask is Layer.compute_mask:  # passes the mask on as it is
            mask_specs = previous_mask
        else:
            mask_specs = _symbolic_masks(self, inputs, previous_mask)
            if mask_specs is _NOT_SYMBOLIC:
                try:
                    mask_specs = _infer_masks(self, inputs, previous_mask)
                except Exception:  # a mask that cannot be computed on placeholders: no symbolic mask
                    return
        if mask_specs is None or all(m is None for m in flatten(mask_specs)):
            return
        flat_masks = flatten(mask_specs) if isinstance(mask_specs, (list, tuple)) else [mask_specs]
        for tensor, mask in zip(flatten(outputs), flat_masks):
            if isinstance(mask, KerasTensor) and getattr(tensor, "_keras_mask", None) is None:
                tensor._keras_mask = mask

    @property
    def dtype(self):
        """The layer's dtype name, e.g. `'float32'`."""
        return self._dtype_name

    @property
    def dtype_policy(self):
        """The layer's `DTypePolicy` (`<DTypePolicy "float32">`)."""
        return self._dtype_policy_object()

    @property
    def compute_dtype(self):
        """The dtype the layer computes in (its variable dtype, also under a mixed policy)."""
        return self.dtype

    @property
    def variable_dtype(self):
        """The dtype of the layer's weights."""
        return self.dtype

    def _dtype_policy_object(self):
        policy = self.__dict__.get("_dtype_policy")
        if self.dtype == "string":  # text inputs: no numeric policy applies
            return policy if policy is not None else DTypePolicy()
        # The policy stays the layer's unless its dtype was changed directly since.
        if policy is None or policy.variable_dtype != self.dtype:
            policy = DTypePolicy(self.dtype)
        return policy

    def _dtype_policy_name(self):
        return self._dtype_policy_object().name

    @dtype.setter
    def dtype(self, value):
        self._dtype_name = value
        # Kept as a numpy dtype too: comparing an array's dtype with a string parses the string.
        self._numpy_dtype = np.dtype(object if value == "string" else value)

    def _autocast_dtype(self, dtype):
        """The dtype an input of `dtype` has inside `call`: the layer's for floats (Keras autocasts
        them), its own otherwise (integers, bools, strings)."""
        if dtype != "string" and np.dtype(dtype).kind == "f" and self._numpy_dtype.kind == "f":
            return self.dtype
        return dtype

    def _same_dtype_spec(self, inputs):
        """The output KerasTensor of a layer that only moves values (Flatten, Reshape, Permute):
        `compute_output_shape`'s shape, the input's dtype as `call` sees it."""
        return KerasTensor(tuple(self.compute_output_shape(tuple(inputs.shape))),
                           dtype=self._autocast_dtype(inputs.dtype))

    def _convert_inputs(self, inputs):
        """Casts inputs to the layer's dtype, as Keras autocasts (off the fast path)."""
        if isinstance(inputs, (list, tuple)) and inputs and all(_is_array_like(x) for x in inputs):
            return type(inputs)(self._convert_inputs(x) for x in inputs)  # several inputs
        if isinstance(inputs, dict):
            return {k: self._convert_inputs(v) for k, v in inputs.items()}
        keep_integers = self._keeps_integer_inputs or self._passes_integer_inputs
        if isinstance(inputs, TensorOperators):
            # The same rule as for arrays below, so a recorded input converts as a plain one does.
            kind = inputs.dtype.kind
            if np.dtype(self.dtype).kind == "f" and (kind == "f" or (kind in "iub" and not keep_integers)):
                from nanokeras.ops.core import cast

                return cast(inputs, self.dtype)
            return inputs
        array = _as_array(inputs, self.name)
        kind = array.dtype.kind
        if np.dtype(self.dtype).kind == "f" and (kind == "f" or (kind in "iub" and not keep_integers)):
            if array.dtype != self._numpy_dtype and is_tracked(array):
                from nanokeras.ops.core import cast

                return cast(array, self.dtype)  # a watched array (`tape.watch(x)`): its gradient flows back
            array = array.astype(self.dtype, copy=False)
        return array

    # ------------------------------------------------------- symbolic calls
    def _symbolic_call(self, inputs, *args, **kwargs):
        """Calls the layer on KerasTensors: builds it, infers the outputs and records a `Node`."""
        if "training" in kwargs and not self._call_takes_training:
            del kwargs["training"]
        if "mask" in kwargs and not self._call_takes_mask:
            del kwargs["mask"]
        # Checked here because inferring the output on placeholders would not reach `call` with
        # them (a `compute_output_shape` answers first): Keras refuses a misspelt keyword too.
        unexpected = _unexpected_call_keywords(type(self), kwargs)
        if unexpected:
            raise TypeError(f"{type(self).__name__}.call() got an unexpected keyword argument {unexpected[0]!r}")
        if self.input_spec is not None:
            assert_input_compatibility(self.input_spec, inputs, self.name)
        shapes = map_structure(_symbolic_shape, inputs)
        infer_kwargs = kwargs
        if _mask_flag[0]:
            # `call` sees the inputs' (symbolic) masks while its output is inferred, as in Keras,
            # so a layer that needs its mask works in a functional model. The recorded node keeps
            # the caller's arguments: running the model hands the real masks on.
            infer_kwargs = dict(kwargs)
            _populate_mask_arguments(self, inputs, args, infer_kwargs)
        with self._open_name_scope():
            specs = self._build_and_infer(inputs, shapes, args, infer_kwargs)
        if specs is None:  # `call` returned None: so does the call, as in Keras (the next layer says so)
            return None
        if _mask_flag[0]:
            kwargs = _with_graph_masks(self, inputs, args, kwargs)
        outputs = self._record_symbolic_call((inputs,) + args, kwargs, specs)
        if _mask_flag[0]:
            self._mark_symbolic_output_masks(inputs, args, kwargs, outputs)
        return outputs

    def _build_and_infer(self, inputs, shapes, args, kwargs):
        """Builds the layer for symbolic `inputs` (of `shapes`) and returns its output specs."""
        try:
            if not self.built:
                _build_by_call(self, shapes, _build_shapes_dict(self, inputs, args, kwargs, _symbolic_shape))
            elif self._build_input_shape is None and "_first_call_shape" not in self.__dict__:
                # Built in `__init__`: Keras still records the first call's shapes (its build_config).
                self.__dict__["_first_call_shape"] = shapes
            elif self._build_input_shape is not None and _shapes_differ(shapes, self._build_input_shape):
                # A built layer (e.g. a shared one) must accept the new shape: try it on zeros.
                infer_output_spec(self.call, (inputs,) + args, kwargs)
            specs = self.compute_output_spec(inputs, *args, **kwargs)
        except (ValueError, TypeError, IndexError) as error:
            raise ValueError(_incompatible_message(self, inputs, error)) from None
        return specs

    def compute_output_spec(self, inputs, *args, **kwargs):
        """KerasTensors (shape and dtype) of the outputs for symbolic `inputs`.

        Uses `compute_output_shape` when the layer defines it; otherwise runs
        `call` on zeros of the input shapes (unknown dimensions tried as 1 and 2).
        """
        if type(self).compute_output_shape is not Layer.compute_output_shape:
            by_name = _shape_arguments_of(self, "compute_output_shape", inputs, args, kwargs, _symbolic_shape)
            if by_name is None:
                shape = self.compute_output_shape(map_structure(_symbolic_shape, inputs))
            else:  # `compute_output_shape(self, a_shape, b_shape)`, as Keras calls it
                shape = self.compute_output_shape(**by_name)
            return _specs_from_shapes(shape, self.dtype)
        return infer_output_spec(self.call, (inputs,) + args, kwargs)

    @property
    def output(self):
        """The output KerasTensor of the layer's first call on symbolic inputs."""
        explicit = self.__dict__.get("_output_tensor")
        if explicit is not None:
            return explicit
        node = self._first_node("output")
        return node.outputs[0] if len(node.outputs) == 1 else list(node.outputs)

    @output.setter
    def output(self, value):
        self.__dict__["_output_tensor"] = value

    @property
    def input(self):
        """The input KerasTensor(s) of the layer's first call on symbolic inputs."""
        node = self._first_node("input")
        if node.is_input:
            return node.outputs[0]
        return node.args[0] if node.args else node.input_tensors

    def _first_node(self, attribute):
        nodes = self._inbound_nodes
        if not nodes:
            raise AttributeError(
                f"Layer {self.name!r} has never been called on a symbolic input (e.g. `keras.Input`), "
                f"so it has no defined {attribute}."
            )
        return nodes[0]

    # --------------------------------------------------------- serialization
    def get_config(self):
        """The constructor arguments that recreate this layer (no weights), as Keras 3 writes them.

        `dtype` is Keras's serialized `DTypePolicy`; `from_config` also accepts a plain name.
        """
        config_ = {"name": self.name}
        if type(self) is Layer:
            # A plain `keras.layers.Layer()`: Keras records all of its constructor's arguments.
            config_["activity_regularizer"] = None
        elif getattr(type(self).get_config, "_is_base_config", False) and not _is_builtin_class(type(self)):
            config_ = _automatic_config(self)
        config_.update({
            "trainable": self.trainable,
            "dtype": {"module": "keras", "class_name": "DTypePolicy", "config": {"name": self._dtype_policy_name()},
                      "registered_name": None},
        })
        if self.activity_regularizer is not None:
            from nanokeras.saving.serialization_lib import serialize_keras_object

            config_["activity_regularizer"] = serialize_keras_object(self.activity_regularizer)
        if type(self) is Layer:
            config_["autocast"] = self.autocast
        return config_

    get_config._is_base_config = True

    @classmethod
    def from_config(cls, config_):
        """Creates a layer from `get_config()`'s output (or from a config Keras 3 wrote)."""
        return cls(**config_)

    @property
    def input_dtype(self):
        return self.dtype

    @property
    def path(self):
        """Where the layer sits among the name scopes: `'sequential/dense'` in a Sequential,
        its name at the top level (the name until it is built or called)."""
        parent = self._parent_path
        return f"{parent}/{self.name}" if parent else self.name

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _build_in_name_scope(cls):
    """Wraps `cls.build` so it runs in the layer's name scope (a user's `model.build(shape)`
    too): weights made there, or in sub-layers it builds, get the layer's path."""
    build = cls.__dict__.get("build")
    if build is None or getattr(build, "_in_name_scope", False) or not callable(build):
        return

    users = not _is_builtin_class(cls)

    @functools.wraps(build)
    def build_in_name_scope(self, *args, **kwargs):
        with self._open_name_scope():
            result = build(self, *args, **kwargs)
        if users:
            # `layer.build(shape)` called by hand builds the layer, as in Keras: a later call must
            # not build it again (new weights would replace ones set or loaded in between), and
            # its build_config records the shape.
            if self.__dict__.get("_build_input_shape") is None and (args or "input_shape" in kwargs):
                self._build_input_shape = args[0] if args else kwargs["input_shape"]
            if not self.built:  # (setting it again would count as a change of configuration)
                self.built = True
        return result

    build_in_name_scope._in_name_scope = True
    cls.build = build_in_name_scope


_PLAIN_CONFIG_TYPES = (str, int, float, bool, type(None))
_INIT_SIGNATURES = {}


def auto_config(cls, args, kwargs):
    """The constructor arguments of a user's layer as Keras's automatic config records them
    (defaults included, `**kwargs` spread, `name` left out), or None when one of them is not
    a plain value (str, int, float, bool, None, or lists/tuples/dicts of them)."""
    if _is_builtin_class(cls):
        return None
    signature = _INIT_SIGNATURES.get(cls)
    if signature is None:
        try:
            signature = _INIT_SIGNATURES[cls] = inspect.signature(cls.__init__)
        except (TypeError, ValueError):
            return None
    try:
        bound = signature.bind(None, *args, **kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    arguments = dict(bound.arguments)
    parameters = list(signature.parameters.values())
    arguments.pop(parameters[0].name, None)
    for parameter in parameters:
        if parameter.kind == parameter.VAR_KEYWORD:
            arguments.update(arguments.pop(parameter.name, {}))
        elif parameter.kind == parameter.VAR_POSITIONAL and arguments.pop(parameter.name, ()):
            return None  # positional varargs cannot be given back by name
    arguments.pop("name", None)
    if not all(isinstance(value, _PLAIN_CONFIG_TYPES) for value in flatten(arguments)):
        return None
    return arguments


def _automatic_config(layer):
    """`{"name", **constructor arguments}` for a user's layer without `get_config` (as Keras)."""
    if layer._auto_config is None:
        raise NotImplementedError(
            f"Layer {type(layer).__name__} was created with constructor arguments that are not plain "
            "values (str, int, float, bool, None, or lists/dicts of them), so its config cannot be "
            "generated automatically: implement `get_config()` returning the constructor's arguments, e.g.\n"
            "    def get_config(self):\n"
            "        config = super().get_config()\n"
            "        config.update({\"units\": self.units})\n"
            "        return config"
        )
    config_ = {"name": layer.name}
    config_.update(layer._auto_config)
    parameters = inspect.signature(type(layer).__init__).parameters
    takes_kwargs = "kwargs" in parameters and parameters["kwargs"].kind == inspect.Parameter.VAR_KEYWORD
    if "name" not in parameters and not takes_kwargs:
        config_.pop("name")  # the constructor could not take it back
    return config_


def _is_builtin_class(cls):
    return (cls.__module__ or "").startswith("nanokeras.")


def _is_builtin_function(fn):
    """True for nanokeras's own activations and ops (replayable), not for a user's function."""
    module = getattr(fn, "__module__", "") or ""
    return module.startswith(("nanokeras.activations", "nanokeras.ops"))


def _call_parameters(cls):
    parameters = _CALL_PARAMETERS.get(cls)
    if parameters is None:
        parameters = set(inspect.signature(cls.call).parameters)
        _CALL_PARAMETERS[cls] = parameters
    return parameters


def _unexpected_call_keywords(cls, kwargs):
    """The keywords of `kwargs` that `cls.call` has no parameter for (none if it takes `**kwargs`)."""
    if not kwargs:
        return []
    accepted = _CALL_KEYWORDS.get(cls)
    if accepted is None:
        parameters = inspect.signature(cls.call).parameters.values()
        if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
            accepted = True
        else:
            accepted = {p.name for p in parameters if p.kind is not inspect.Parameter.POSITIONAL_ONLY}
        _CALL_KEYWORDS[cls] = accepted
    if accepted is True:
        return []
    return [key for key in kwargs if key not in accepted]


_CALL_KEYWORDS = {}


def _dtype_name_from_config(dtype, class_name):
    """The dtype name in a serialized dtype policy (`{'class_name': 'DTypePolicy', 'config': {'name': ...}}`)."""
    inner = dtype.get("config") if isinstance(dtype.get("config"), dict) else {}
    if not isinstance(inner.get("name"), str):
        raise ValueError(f"{class_name}: cannot read the dtype policy {dtype!r}; expected a dict such as "
                         "{'class_name': 'DTypePolicy', 'config': {'name': 'float32'}}.")
    return inner["name"]


_CALL_PARAMETERS = {}
_TRAINING_DEFAULTS = {}


def _training_default(cls):
    """The default of `cls.call`'s `training` parameter (None when it has none)."""
    if cls not in _TRAINING_DEFAULTS:
        parameter = inspect.signature(cls.call).parameters.get("training")
        default = None if parameter is None or parameter.default is inspect.Parameter.empty else parameter.default
        _TRAINING_DEFAULTS[cls] = default
    return _TRAINING_DEFAULTS[cls]
_CALL_SIGNATURES = {}


def _makes_its_own_masks(cls):
    """Whether `cls` is a layer class from outside nanokeras that defines `compute_mask` (nanokeras's
    own layers that make masks turn mask passing on themselves; the others only pass masks on)."""
    return cls.compute_mask is not Layer.compute_mask and not cls.__module__.startswith("nanokeras.")


_NOT_SYMBOLIC = object()


def _symbolic_masks(layer, inputs, previous_mask):
    """`compute_mask` run on the KerasTensors themselves, as Keras runs it: masks made with
    `keras.ops` become nodes of the graph (`not_equal` under an `Embedding(mask_zero=True)`).
    `_NOT_SYMBOLIC` when the layer's `compute_mask` needs values (numpy functions), or when a
    mask it would build on was inferred from values (not a node of the graph)."""
    if any(isinstance(m, KerasTensor) and m._keras_history is None for m in flatten(previous_mask)):
        return _NOT_SYMBOLIC
    try:
        masks = layer.compute_mask(inputs, previous_mask)
    except Exception:
        return _NOT_SYMBOLIC
    if not all(m is None or isinstance(m, KerasTensor) for m in flatten(masks)):
        return _NOT_SYMBOLIC
    return masks


def keras_records_mask(layer, inputs, args, kwargs):
    """Whether Keras records the input's mask as the `mask` argument of this symbolic call: for a
    layer whose `call` takes `mask`, on a call where Keras fills arguments in."""
    return getattr(layer, "_call_takes_mask", False) and keras_fills_call_arguments(layer, inputs, args, kwargs)


def _with_graph_masks(layer, inputs, args, kwargs):
    """The call's `kwargs` with the input's graph mask as `mask` where Keras records it (see
    `keras_records_mask`). The model's runs then hand the layer its mask from the graph, and
    `summary()` shows the edge."""
    if not keras_records_mask(layer, inputs, args, kwargs):
        return kwargs
    mask = getattr(inputs, "_keras_mask", None)
    if not isinstance(mask, KerasTensor) or mask._keras_history is None:
        return kwargs  # no mask, or one inferred from values: not a node of the graph
    return {"mask": mask}


def _infer_masks(layer, inputs, previous_mask):
    """`compute_mask` on placeholders: KerasTensors (bool) of the masks' shapes, None where no mask.

    Unknown dimensions are tried as 1 and as 2; those that change are unknown.
    """
    runs = []
    for fill in (1, 2):
        def concrete(x):
            if isinstance(x, KerasTensor):
                shape = tuple(fill if d is None else d for d in x.shape)
                return np.zeros(shape, dtype=bool if x.dtype == "bool" else np.dtype(object if x.dtype == "string"
                                                                                      else x.dtype))
            return x

        masks = layer.compute_mask(map_structure(concrete, inputs), map_structure(concrete, previous_mask))
        runs.append(masks)
    first, second = runs

    def spec(a, b):
        if a is None:
            return None
        a, b = np.shape(getattr(a, "value", a)), np.shape(getattr(b, "value", b))
        return KerasTensor(tuple(d if (len(a) == len(b) and d == e) else None for d, e in zip(a, b)), dtype="bool")

    if isinstance(first, (list, tuple)):
        return [spec(a, b) for a, b in zip(first, second)]
    return spec(first, second)


def saved_by_name(layer, *names):
    """The weights named `names` that `layer` has (a layer without a bias has none): what Keras's
    Dense, Conv and Embedding layers save, whatever other variables a subclass keeps."""
    if not layer.built:
        return []
    return [v for v in (getattr(layer, name, None) for name in names) if v is not None]


def _set_by_nanokeras():
    """Whether the attribute being set is set by nanokeras's own code (the first frame outside
    the `__setattr__` chain is in a `nanokeras.` module)."""
    frame = sys._getframe(2)
    while frame is not None and frame.f_code.co_name in ("__setattr__", "_track_variables"):
        frame = frame.f_back
    return frame is not None and frame.f_globals.get("__name__", "").startswith("nanokeras.")


def _carries_a_mask(structure):
    get = masking.get_keras_mask
    return any(get(x) is not None for x in flatten(structure))


def _is_tensor(x):
    return isinstance(x, (np.ndarray, TensorOperators, KerasTensor))  # also a `masking.ArrayWithMask`


def _build_by_call(layer, input_shape, shapes_dict):
    # (built-in layers override `_build_for(input_shape)`; only a user's build takes `shapes_dict`)
    if shapes_dict is None:
        layer._build_for(input_shape)
    else:
        layer._build_for(input_shape, shapes_dict)


def _build_shapes_dict(layer, inputs, args, kwargs, shape_of):
    """`{"a_shape": ..., ...}` for a user's `build(self, a_shape, b_shape)`, else None."""
    return _shape_arguments_of(layer, "build", inputs, args, kwargs, shape_of)


_SHAPE_PARAMETER_COUNTS = {}


def _shape_arguments_of(layer, method_name, inputs, args, kwargs, shape_of):
    """The shapes by name for `layer.<method_name>` when the user's method takes several, else None
    (nanokeras's own layers take their shapes as they always did)."""
    cls = type(layer)
    key = (cls, method_name)
    count = _SHAPE_PARAMETER_COUNTS.get(key)
    if count is None:
        owner = next((c for c in cls.__mro__ if method_name in c.__dict__), Layer)
        count = 0 if _is_builtin_class(owner) else len(shape_parameters(getattr(layer, method_name)))
        _SHAPE_PARAMETER_COUNTS[key] = count
    if count <= 1:
        return None
    tensors = _tensor_arguments(layer, inputs, args, kwargs)
    shapes = {name: map_structure(shape_of, value) for name, value in tensors.items()
              if name not in ("mask", "args", "kwargs")}
    return shape_arguments(getattr(layer, method_name), cls.__name__, shapes, _call_parameters(cls))


def _tensor_arguments(layer, inputs, args, kwargs):
    """`{name: value}` of the call's tensor arguments (a tensor, or a non-empty list of them)."""
    cls = type(layer)
    signature = _CALL_SIGNATURES.get(cls)
    if signature is None:
        signature = inspect.signature(layer.call)
        _CALL_SIGNATURES[cls] = signature
    try:
        bound = signature.bind(inputs, *args, **kwargs).arguments
    except TypeError:
        return {}
    found = {}
    for name, value in bound.items():
        if _is_tensor(value):
            found[name] = value
        elif isinstance(value, (list, tuple, dict)) and value:
            leaves = flatten(value)
            if all(x is None or _is_tensor(x) for x in leaves) and any(x is not None for x in leaves):
                found[name] = value
    return found


def _showing_masks(outputs):
    """`outputs` with each masked numpy array viewed as a `masking.ArrayWithMask`."""
    def show(x):
        if type(x) is np.ndarray:
            mask = masking.get_keras_mask(x)
            if mask is not None:
                return masking.with_mask_attribute(x, mask)
        return x

    if type(outputs) in (list, tuple):
        return type(outputs)(show(x) for x in outputs)
    return show(outputs)


def _populate_mask_arguments(layer, inputs, args, kwargs):
    """Fills `mask` (or `<argument>_mask`) in `kwargs` from the tensors' masks; returns the inputs' mask."""
    explicit = kwargs.get("mask")
    if explicit is not None:
        return explicit
    parameters = _call_parameters(type(layer))
    tensors = _tensor_arguments(layer, inputs, args, kwargs)
    if len(tensors) == 1:
        if "mask" in parameters:
            mask = map_structure(masking.get_keras_mask, next(iter(tensors.values())))
            if any(m is not None for m in flatten(mask)):
                kwargs["mask"] = mask
                return mask
    elif len(tensors) > 1:
        for name, value in tensors.items():
            key = f"{name}_mask"
            if key in parameters and kwargs.get(key) is None:
                mask = map_structure(masking.get_keras_mask, value)
                if any(m is not None for m in flatten(mask)):
                    kwargs[key] = mask
    return map_structure(masking.get_keras_mask, inputs)


def _pop_input_shape(kwargs, class_name):
    """Reads Keras-2 style `input_shape=`/`input_dim=`/`batch_input_shape=` into a batch shape."""
    if not any(k in kwargs for k in _INPUT_SHAPE_KWARGS):
        return None
    if "batch_input_shape" in kwargs or "batch_size" in kwargs:
        # Keras 3 rejects both on layers other than `Input`.
        from nanokeras.utils import keras2_notes

        used = "batch_input_shape" if "batch_input_shape" in kwargs else "batch_size"
        keras2_notes.note("batch_input_shape", used=f"`{class_name}({used}=...)`")
    batch_size = kwargs.pop("batch_size", None)
    if "batch_input_shape" in kwargs or "batch_shape" in kwargs:
        shape = kwargs.pop("batch_input_shape", None) or kwargs.pop("batch_shape", None)
        kwargs.pop("batch_shape", None)
        kwargs.pop("input_shape", None)
        kwargs.pop("input_dim", None)
        return _check_shape(tuple(shape), class_name, "batch_input_shape")
    if "input_shape" in kwargs:
        shape = kwargs.pop("input_shape")
        kwargs.pop("input_dim", None)
        if isinstance(shape, (int, np.integer)):
            shape = (shape,)
        return _check_shape((batch_size,) + tuple(shape), class_name, "input_shape")
    if "input_dim" in kwargs:
        dim = kwargs.pop("input_dim")
        return _check_shape((batch_size, dim), class_name, "input_dim")
    return None


def _check_shape(shape, class_name, argument):
    for d in shape[1:]:
        if d is not None and (not isinstance(d, (int, np.integer)) or d <= 0):
            raise ValueError(
                f"{class_name}: `{argument}` must contain positive integers (or None), got {shape[1:]}."
            )
    return tuple(None if d is None else int(d) for d in shape)


def _as_array(inputs, layer_name):
    if type(inputs) is masking.ArrayWithMask:
        # A plain array again, keeping the mask (layers read masks from their inputs in `call`).
        plain = inputs.view(np.ndarray)
        masking.set_keras_mask(plain, masking.get_keras_mask(inputs))
        inputs = plain
    try:
        array = np.asarray(inputs)
    except (TypeError, ValueError) as error:
        raise TypeError(
            f"Layer {layer_name!r} expects array-like numeric input, got {type(inputs).__name__}: {error}"
        ) from None
    if array.dtype.kind not in "fiub":
        raise InvalidDtypeError(f"Layer {layer_name!r} expects numeric input, got an array of dtype {array.dtype}.")
    return array


def _is_array_like(x):
    return isinstance(x, (np.ndarray, TensorOperators, KerasTensor, dict))


def _refuse_new_state(layer):
    """A weight or sub-layer made in the `call` of a built layer of the user's: refused, as Keras
    does. Made at every call, it would be a new random weight each step, never trained (a Dense
    created in `call`, an `add_weight` in `call`). nanokeras's own layers are trusted."""
    if (_call_context[0] and layer.__dict__.get("built") and not layer.__dict__.get("_building")
            and not type(layer).__module__.startswith("nanokeras.")):
        raise ValueError(
            f"Layer {layer.name!r} ({type(layer).__name__}) is already built: it cannot create weights or "
            "sub-layers in `call()`. Create them in `__init__()` or in `build(input_shape)`."
        )


def _shape_of(inputs):
    if isinstance(inputs, (list, tuple)):
        return [_shape_of(x) for x in inputs]
    if isinstance(inputs, dict):
        return {k: _shape_of(v) for k, v in inputs.items()}
    return tuple(np.shape(inputs.value if isinstance(inputs, TensorOperators) else inputs))


# ------------------------------------------------------------ symbolic helpers
def _symbolic_shape(x):
    return x.shape if isinstance(x, KerasTensor) else tuple(np.shape(x))


def _is_shape(value):
    return isinstance(value, (tuple, list)) and all(d is None or isinstance(d, (int, np.integer)) for d in value)


def _specs_from_shapes(shape, dtype):
    if _is_shape(shape):
        return KerasTensor(tuple(shape), dtype=dtype)
    if isinstance(shape, dict):
        return {k: _specs_from_shapes(v, dtype) for k, v in shape.items()}
    return [_specs_from_shapes(s, dtype) for s in shape]


def _shapes_differ(a, b):
    if _is_shape(a) and _is_shape(b):
        return len(a) != len(b) or any(x is not None and y is not None and x != y for x, y in zip(a[1:], b[1:]))
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)) and len(a) == len(b):
        return any(_shapes_differ(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b):
        return any(_shapes_differ(a[k], b[k]) for k in a)
    return True


def _describe_input(tensor):
    history = getattr(tensor, "_keras_history", None)
    if history is None:
        return f"a tensor of shape {_symbolic_shape(tensor)}"
    layer = history[0]
    return f"the output of layer {layer.name!r} ({type(layer).__name__}), of shape {tensor.shape}"


def _incompatible_message(layer, inputs, error):
    described = [_describe_input(t) for t in flatten(inputs) if isinstance(t, KerasTensor)]
    expected = ""
    if layer.built and layer._build_input_shape is not None:
        expected = f" It was built for inputs of shape {layer._build_input_shape}."
    return (
        f"Layer {layer.name!r} ({type(layer).__name__}) cannot be called on {' and '.join(described)}.{expected} "
        f"{error}"
    )
