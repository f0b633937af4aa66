"""`Optimizer`: the base class of every optimizer (Keras 3 semantics).

An optimizer owns its state as `Variable`s, in Keras's order (this order is what
`.keras` files store): `iteration`, `learning_rate` (unless it is a schedule),
then the EMA averages, the gradient accumulators, then the subclass's slots.
A slot made for model variable `dense/kernel` is named `dense_kernel_<slot>` and
its path is `<optimizer name>/dense_kernel_<slot>`.

Updates happen in place on `variable.value` (numpy `out=` into scratch buffers),
so a small training step costs microseconds.

Example:
    >>> import numpy as np, nanokeras as keras
    >>> from nanokeras.optimizers import SGD
    >>> w = keras.Variable(np.array([1.0, 2.0]), name="w")
    >>> opt = SGD(learning_rate=0.5)
    >>> _ = opt.apply_gradients([(np.array([1.0, 1.0], dtype="float32"), w)])
    >>> w.numpy().tolist(), int(opt.iterations.numpy())
    ([0.5, 1.5], 1)
"""

import re

import numpy as np

from nanokeras.backend import config
from nanokeras.backend.naming import auto_name
from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable
from nanokeras.optimizers import arguments, flat_buffer, fused_updates
from nanokeras.optimizers.atomic_update import atomic_update
from nanokeras.optimizers.clipping import clip_by_global_norm, clip_by_norm, clip_by_value
from nanokeras.optimizers.variable_store import OptimizerVariables


_BUILTIN_UPDATE = {}


def _builtin_update(cls):
    """True when `cls`'s update is a built-in elementwise kernel: the class that set
    `_packable_update` also wrote (or inherited unchanged) the `update_step` in use."""
    known = _BUILTIN_UPDATE.get(cls)
    if known is None:
        owner = next(k for k in cls.__mro__ if "_packable_update" in k.__dict__)
        step_owner = next(k for k in cls.__mro__ if "update_step" in k.__dict__)
        known = _BUILTIN_UPDATE[cls] = bool(cls._packable_update) and issubclass(owner, step_owner)
    return known


_FUSABLE = {}
# What a fused kernel stands in for: a subclass that overrides one of these outside
# nanokeras computes something else, so it keeps the numpy path.
_FUSED_STANDS_FOR = ("update_step", "_backend_update_step", "_update_variable", "_compute_hyperparameters",
                     "_alpha", "_next_u_product", "_scalars", "_fused_update")


def _fusable_update(cls):
    """True when `cls` has a compiled kernel (`_fused_update`) for the update it actually runs."""
    known = _FUSABLE.get(cls)
    if known is None:
        owners = [next((k for k in cls.__mro__ if name in k.__dict__), None) for name in _FUSED_STANDS_FOR]
        known = _FUSABLE[cls] = cls._fused_update is not None and all(
            owner is None or owner.__module__.startswith("nanokeras.optimizers.") for owner in owners)
    return known


class Optimizer(OptimizerVariables):
    """Base class: clipping, weight decay, EMA, gradient accumulation, state.

    Subclasses implement `build(var_list)` (create slots with
    `add_optimizer_variables`) and `update_step(gradient, variable, learning_rate)`.

    Args:
        learning_rate: a float, a `LearningRateSchedule`, or a callable
            returning the rate. Keras 2's `lr=` is accepted as an alias.
        weight_decay: if set, each step does `var -= var * weight_decay * lr`.
        clipnorm / clipvalue / global_clipnorm: gradient clipping (at most one).
        use_ema, ema_momentum, ema_overwrite_frequency: exponential moving
            average of the weights.
        loss_scale_factor: gradients are divided by it before the update.
        gradient_accumulation_steps: update only every N steps, with the mean
            of the accumulated gradients.
        name: the optimizer's name (default: snake case of the class name).

    Example:
        >>> from nanokeras.optimizers import Adam
        >>> Adam(learning_rate=1e-3, clipnorm=1.0).get_config()["clipnorm"]
        1.0
    """

    def __init__(
        self,
        learning_rate,
        weight_decay=None,
        clipnorm=None,
        clipvalue=None,
        global_clipnorm=None,
        use_ema=False,
        ema_momentum=0.99,
        ema_overwrite_frequency=None,
        loss_scale_factor=None,
        gradient_accumulation_steps=None,
        name=None,
        **kwargs,
    ):
        learning_rate = arguments.pop_legacy_kwargs(learning_rate, kwargs, type(self))
        arguments.check_options(
            weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
            ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name,
        )
        learning_rate = arguments.check_learning_rate(learning_rate)
        self._init_store()
        self.name = name if name is not None else auto_name(type(self).__name__)
        self.weight_decay = weight_decay
        self.clipnorm = clipnorm
        self.clipvalue = clipvalue
        self.global_clipnorm = global_clipnorm
        self.use_ema = bool(use_ema)
        self.ema_momentum = ema_momentum
        self.ema_overwrite_frequency = ema_overwrite_frequency
        self.loss_scale_factor = loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self.built = False
        self._iterations = self._make_variable(np.zeros((), dtype="int32"), "iteration")
        if callable(learning_rate):
            self._learning_rate = learning_rate
        else:
            self._learning_rate = self._make_variable(
                np.asarray(learning_rate, dtype=config.floatx()), "learning_rate"
            )

    # ---- state -------------------------------------------------------------

    @property
    def iterations(self):
        """The number of optimizer steps taken (a non-trainable int32 `Variable`).

        int32 as Keras on JAX, PyTorch and NumPy (Keras on TensorFlow uses int64).

        With gradient accumulation it counts real updates (steps // N), as Keras does.
        """
        if self.gradient_accumulation_steps:
            return self._iterations.value // self.gradient_accumulation_steps
        return self._iterations

    def _step(self):
        """`iterations` as a Python int (updates taken so far)."""
        step = int(self._iterations.value)
        if self.gradient_accumulation_steps:
            step //= self.gradient_accumulation_steps
        return step

    @property
    def learning_rate(self):
        """The current learning rate.

        The `learning_rate` Variable for a fixed rate (as in Keras; `float()` it
        to read it); a float32 scalar evaluated at `iterations` for a schedule.
        """
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr
        return np.asarray(self._current_learning_rate(), dtype=config.floatx())[()]

    @learning_rate.setter
    def learning_rate(self, value):
        previous = self._learning_rate
        if callable(value) and not isinstance(value, Variable):
            self._learning_rate = value
            if isinstance(previous, Variable):
                self._untrack_variable(previous)
            return
        if not isinstance(previous, Variable):
            raise TypeError(
                "This optimizer was created with a learning rate schedule (or callable) as its "
                "`learning_rate`, so its learning rate cannot be set to a number. Create the "
                "optimizer with a float `learning_rate` to be able to set it."
            )
        previous.assign(np.asarray(arguments.check_learning_rate(value_of(value)), previous.dtype))

    @property
    def lr(self):
        """Keras 2's name for `learning_rate` (`K.set_value(model.optimizer.lr, 1e-4)`), with a note."""
        _note_lr()
        return self.learning_rate

    @lr.setter
    def lr(self, value):
        _note_lr()
        self.learning_rate = value

    def _current_learning_rate(self):
        """The rate for this step: a 0-d float array (no copy for a fixed rate)."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            return lr.value
        return np.asarray(value_of(arguments.call_schedule(lr, self._iterations)), config.floatx())

    # ---- building ----------------------------------------------------------

    def build(self, variables):
        """Creates the optimizer's variables for the model variables `variables`."""
        variables = list(variables)
        arguments.check_variables(variables)
        if self.use_ema:
            self._model_variables_moving_average = self.add_optimizer_variables(variables, "average")
        if self.gradient_accumulation_steps:
            self._accumulated_gradients = self.add_optimizer_variables(
                variables, "gradient_accumulator"
            )
        self._trainable_variables_indices = {id(v): i for i, v in enumerate(variables)}
        self._trainable_variables = variables[:]
        # Scratch space for in-place updates: two arrays per model variable.
        self._buffers = [(np.empty_like(v.value), np.empty_like(v.value)) for v in variables]
        self._any_overwrite_with_gradient = any(
            getattr(v, "overwrite_with_gradient", False) for v in variables
        )
        self._flat = None  # set by `_pack_variables` once the subclass has made its slots
        self._fusable = False  # the packed update has a compiled kernel (see `fused_updates.py`)
        self._numpy_elements = 0  # elements updated on numpy so far ("auto" loads kernels once it pays)
        self._last_covered = None
        self._pack_pending = True
        self.built = True

    # Built-in optimizers update every element alike, so their kernels also run on all
    # weights packed into one array. A subclass that writes its own `update_step` below
    # the class that set this runs per variable.
    _packable_update = False

    def _pack_variables(self):
        """Lays the model variables, and each kind of slot, out in one array each (once).

        Afterwards `self._flat` stands for all model variables: its index in the slot
        lists and `_buffers` holds the packed slots and scratch arrays, so a subclass's
        per-variable kernel runs unchanged over everything at once.
        """
        self._pack_pending = False
        variables = self._trainable_variables
        if not _builtin_update(type(self)) or self._any_overwrite_with_gradient or not flat_buffer.can_pack(variables):
            return
        groups = [slots for group_variables, slots in self._slot_groups
                  if len(group_variables) == len(variables)
                  and all(a is b for a, b in zip(group_variables, variables))]
        if not all(flat_buffer.can_pack(slots) for slots in groups):
            return
        index = len(variables)
        flat = flat_buffer.pack(variables)
        for slots in groups:
            slots.append(flat_buffer.pack(slots))
        self._trainable_variables_indices[id(flat)] = index
        self._buffers.append((np.empty_like(flat.value), np.empty_like(flat.value)))
        self._flat_gradient = np.empty_like(flat.value)
        self._flat = flat
        self._fusable = _fusable_update(type(self)) and flat.value.dtype in (np.float32, np.float64)

    def _unpack_variables(self):
        """Undoes `_pack_variables`'s bookkeeping (the arrays stay as they are): the kernels run
        per variable again, and the next `apply` packs again unless told otherwise."""
        flat = self._flat
        if flat is None:
            return
        for _, slots in self._slot_groups:
            if slots and isinstance(slots[-1], flat_buffer.FlatVariable):
                slots.pop()
        self._buffers.pop()
        del self._trainable_variables_indices[id(flat)]
        self._flat = None
        self._fusable = False
        self._pack_pending = True

    def _covers_all(self, variables):
        """True when `variables` are exactly the packed model variables, in order."""
        if variables is self._last_covered:  # a training loop passes the same list every step
            return True
        packed = self._flat.variables
        covers = len(variables) == len(packed) and all(a is b for a, b in zip(variables, packed))
        if covers:
            self._last_covered = variables
        return covers

    def _hyperparameters(self, f):
        """Subclass constants converted to float type `f`, cached until an attribute changes."""
        cache = self._hyper_cache
        values = cache.get(f)
        if values is None:
            values = cache[f] = self._compute_hyperparameters(f)
        return values

    def _get_variable_index(self, variable):
        return self._trainable_variables_indices[id(variable)]

    # ---- applying gradients -------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Applies `(gradient, variable)` pairs; returns `iterations`.

        Gradients that are None are skipped (with a warning). Every gradient is
        checked before anything changes: a rejected call leaves all state as it was.
        """
        grads, variables = [], []
        for pair in grads_and_vars:
            if type(pair) is not tuple and not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise ValueError(
                    "`apply_gradients` expects an iterable of (gradient, variable) pairs, "
                    f"got an item {pair!r:.100}. Use `zip(grads, model.trainable_variables)`."
                )
            grads.append(pair[0])
            variables.append(pair[1])
        self.apply(grads, variables)
        return self._iterations

    def apply(self, grads, trainable_variables=None):
        """Updates `trainable_variables` (default: the ones built with) from `grads`."""
        if type(grads) is not list:
            grads = list(grads)
        if not grads:
            return
        if trainable_variables is None:
            if not self.built:
                raise ValueError(
                    "`apply(grads)` without `trainable_variables` needs a built optimizer. "
                    "Pass the variables, or call `optimizer.build(trainable_variables)` first."
                )
            variables = self._trainable_variables
        else:
            variables = trainable_variables if type(trainable_variables) is list else list(trainable_variables)
            has_new_variables = self.built and self._check_variables_are_known(variables)
            if not self.built:
                arguments.check_variables(variables)
        if len(grads) != len(variables):
            raise ValueError(
                f"Got {len(grads)} gradients for {len(variables)} variables; "
                "pass exactly one gradient (or None) per variable."
            )
        grads, used = arguments.prepare_gradients(grads, variables)
        if not self.built:
            self.build(variables)
        elif trainable_variables is not None and has_new_variables:
            # Keras 2 let one optimizer train several models' variables (Keras 3 refuses).
            from nanokeras.optimizers.shared_optimizer import add_variables

            self._unpack_variables()
            self._pack_pending = False  # a shared optimizer keeps one array per variable
            add_variables(self, variables)
        if self._pack_pending:
            self._pack_variables()
        if self.loss_scale_factor is not None:
            grads = [g / g.dtype.type(self.loss_scale_factor) for g in grads]
        # From here on the step changes state: all of it, or (on an interrupt) none of it.
        with atomic_update(self._arrays_to_restore(used)):
            if self._any_overwrite_with_gradient:
                grads, used = self._overwrite_variables_directly_with_gradients(grads, used)
            if grads:
                with np.errstate(all="ignore"):  # NaN/inf propagate silently, as in Keras
                    self._backend_apply_gradients(grads, used)
                for variable in used:
                    if variable.constraint is not None:
                        variable.assign(variable.constraint(variable))
            it = self._iterations.value
            it.fill(int(it) + 1)

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """`apply(grads)` from the given values of `variables` and of the built-with trainable
        variables, changing no state; returns `(new trainable values, new optimizer values)`.

        Example:
            >>> import numpy as np, nanokeras as keras
            >>> w = keras.Variable(np.ones(2, "float32"))
            >>> opt = keras.optimizers.SGD(0.5)
            >>> opt.build([w])
            >>> (new_w,), _ = opt.stateless_apply([v.numpy() for v in opt.variables], [np.ones(2)], [np.zeros(2)])
            >>> new_w.tolist(), w.numpy().tolist()
            ([-0.5, -0.5], [1.0, 1.0])
        """
        from nanokeras.optimizers.stateless_apply import stateless_apply

        return stateless_apply(self, optimizer_variables, grads, trainable_variables)

    def _arrays_to_restore(self, variables):
        """What an exception in the update must restore: nothing for the built-in kernels
        (in-place numpy calls on checked arrays, which do not raise), everything the step
        touches when user code runs inside it (a custom `update_step`, a constraint)."""
        custom_constraint = any(
            v.constraint is not None and not type(v.constraint).__module__.startswith("nanokeras.constraints")
            for v in variables)
        if _builtin_update(type(self)) and not custom_constraint:
            return ()
        return [v.value for v in list(variables) + self._variables]

    def _check_variables_are_known(self, variables):
        """True when some of `variables` are new to this built optimizer (checked to be Variables)."""
        indices = self._trainable_variables_indices
        unknown = [v for v in variables if id(v) not in indices]
        if unknown:
            arguments.check_variables(unknown)
        return bool(unknown)

    def _overwrite_variables_directly_with_gradients(self, grads, variables):
        if not any(getattr(v, "overwrite_with_gradient", False) for v in variables):
            return grads, variables
        kept_grads, kept_vars = [], []
        for g, v in zip(grads, variables):
            if getattr(v, "overwrite_with_gradient", False):
                v.assign(g)
            else:
                kept_grads.append(g)
                kept_vars.append(v)
        return kept_grads, kept_vars

    def _backend_apply_gradients(self, grads, variables):
        steps = self.gradient_accumulation_steps
        if steps:
            accumulators = [self._accumulated_gradients[self._get_variable_index(v)] for v in variables]
            if (int(self._iterations.value) + 1) % steps == 0:
                f = grads[0].dtype.type
                grads = [(g + a.value) / f(steps) for g, a in zip(grads, accumulators)]
                self._update(grads, variables)
                for a in accumulators:
                    a.value.fill(0)
            else:
                for g, a in zip(grads, accumulators):
                    np.add(g, a.value, out=a.value)
        else:
            self._update(grads, variables)
        if self.use_ema:
            self._update_model_variables_moving_average(self._trainable_variables)
            frequency = self.ema_overwrite_frequency
            if frequency is not None and (self._step() + 1) % frequency == 0:
                self._overwrite_model_variables_with_average_value(self._trainable_variables)

    def _update(self, grads, variables):
        grads = self._clip_gradients(grads)
        lr = self._current_learning_rate()
        flat = self._flat
        packed = flat is not None and self._covers_all(variables)
        kernels = self._kernels_for_step(flat, lr) if packed else None
        self._apply_weight_decay(variables, lr, kernels)
        if not packed:
            self._backend_update_step(grads, variables, lr)
            return
        # Every weight at once: the same update over the packed arrays, as one compiled
        # loop when the `fast` extra is in use, else a dozen numpy calls.
        gradient = flat_buffer.gather(grads, self._flat_gradient)
        if kernels is None or not self._run_fused(kernels, gradient, flat, lr):
            self._backend_update_step([gradient], [flat], lr)

    # A built-in optimizer sets this to a method `(kernels, index, gradient, x, learning_rate)`
    # that does its update over the packed arrays with one kernel of `fused_kernels.py`.
    _fused_update = None

    def _kernels_for_step(self, flat, learning_rate):
        """The compiled kernels when this step's packed update should use them, else None."""
        if not self._fusable or learning_rate.dtype != flat.value.dtype:
            return None  # a rate of another float type makes numpy compute in that type
        kernels = fused_updates.kernels_for(self._numpy_elements)
        if kernels is None:
            self._numpy_elements += flat.value.size
        return kernels

    def _run_fused(self, kernels, gradient, flat, learning_rate):
        """Runs the fused update; False (nothing changed) when the kernel could not be compiled."""
        try:
            self._fused_update(kernels, self._trainable_variables_indices[id(flat)], gradient, flat.value,
                               learning_rate)
        except Exception as error:  # compiling failed (a kernel itself cannot raise): numpy does it
            fused_updates.give_up(error)
            return False
        return True

    def _backend_update_step(self, grads, trainable_variables, learning_rate):
        for g, v in zip(grads, trainable_variables):
            self.update_step(g, v, learning_rate)

    def update_step(self, gradient, variable, learning_rate):
        """Updates one model variable and its slots; subclasses implement it."""
        raise NotImplementedError(
            f"{type(self).__name__} must implement `update_step(gradient, variable, learning_rate)`."
        )

    def _clip_gradients(self, grads):
        if self.clipnorm and self.clipnorm > 0:
            return [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm and self.global_clipnorm > 0:
            return clip_by_global_norm(grads, self.global_clipnorm)
        if self.clipvalue and self.clipvalue > 0:
            return [clip_by_value(g, self.clipvalue) for g in grads]
        return grads

    # ---- weight decay ------------------------------------------------------

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Excludes variables from weight decay.

        Args:
            var_list: variables to exclude.
            var_names: strings; a variable whose name contains one is excluded
                (e.g. `var_names=["bias"]`).
        """
        self._exclude_from_weight_decay = set(id(v) for v in (var_list or ()))
        if var_names:
            self._exclude_from_weight_decay_pattern = re.compile("|".join(set(var_names)))
        else:
            self._exclude_from_weight_decay_pattern = None
        self._exclude_from_weight_decay_cache = {}

    def _use_weight_decay(self, variable):
        cache = self._exclude_from_weight_decay_cache
        key = id(variable)
        if key not in cache:
            pattern = self._exclude_from_weight_decay_pattern
            cache[key] = not (
                key in self._exclude_from_weight_decay
                or (pattern is not None and pattern.search(variable.name) is not None)
            )
        return cache[key]

    def _apply_weight_decay(self, variables, learning_rate, kernels=None):
        if self.weight_decay is None:
            return
        for v in variables:
            if self._use_weight_decay(v):
                x = v.value
                if kernels is not None and x.flags.c_contiguous:
                    try:
                        kernels.weight_decay(x.reshape(-1), x.dtype.type(self.weight_decay), learning_rate[()])
                        continue
                    except Exception as error:  # compiling failed; nothing changed
                        fused_updates.give_up(error)
                        kernels = None
                buf = self._buffers[self._get_variable_index(v)][0]
                np.multiply(x, x.dtype.type(self.weight_decay), out=buf)
                np.multiply(buf, learning_rate, out=buf)
                np.subtract(x, buf, out=x)

    # ---- exponential moving average ------------------------------------------

    def _update_model_variables_moving_average(self, trainable_variables):
        first_step = self._step() == 0
        averages = self._model_variables_moving_average[:len(self._trainable_variables)]  # not the packed one
        for var, average in zip(trainable_variables, averages):
            if average is None:
                continue
            f = average.value.dtype.type
            momentum = f(0.0 if first_step else 1.0) * f(self.ema_momentum)
            a = average.value
            np.add(momentum * a, (f(1) - momentum) * var.value, out=a)

    def _overwrite_model_variables_with_average_value(self, trainable_variables):
        averages = self._model_variables_moving_average[:len(self._trainable_variables)]  # not the packed one
        if len(trainable_variables) != len(averages):
            raise ValueError(
                f"Got {len(trainable_variables)} model variables, but the optimizer keeps "
                f"averages for {len(averages)}. Pass the variables the optimizer was built with."
            )
        for var, average in zip(trainable_variables, averages):
            if average is not None:
                var.assign(average)

    def finalize_variable_values(self, var_list):
        """With `use_ema=True`, sets each variable in `var_list` to its moving average."""
        if self.use_ema:
            self._overwrite_model_variables_with_average_value(list(var_list))

    # ---- misc public API ---------------------------------------------------

    def scale_loss(self, loss):
        """`loss * loss_scale_factor` when a factor is set, else `loss`."""
        if self.loss_scale_factor is not None:
            return loss * self.loss_scale_factor
        return loss

    def get_config(self):
        """The constructor arguments, as a JSON-friendly dict."""
        lr = self._learning_rate
        if isinstance(lr, Variable):
            learning_rate = float(lr.value)
        else:
            learning_rate = arguments.serialize_schedule(lr)
        return {
            "name": self.name,
            "learning_rate": learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "global_clipnorm": self.global_clipnorm,
            "clipvalue": self.clipvalue,
            "use_ema": self.use_ema,
            "ema_momentum": self.ema_momentum,
            "ema_overwrite_frequency": self.ema_overwrite_frequency,
            "loss_scale_factor": self.loss_scale_factor,
            "gradient_accumulation_steps": self.gradient_accumulation_steps,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Creates an optimizer from the output of `get_config`."""
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = arguments.deserialize_schedule(
                config["learning_rate"], custom_objects
            )
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _note_lr():
    from nanokeras.utils import keras2_notes

    keras2_notes.note("optimizer_lr", used="`optimizer.lr`", instead="`optimizer.learning_rate`",
                      error=keras2_notes.Keras3StrictAttributeError)
