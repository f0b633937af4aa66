"""Checks of optimizer arguments and gradients, with errors that say how to fix them.

Everything here only reads its inputs: a call rejected here has changed nothing.

Example:
    >>> from nanokeras.optimizers.arguments import check_learning_rate
    >>> check_learning_rate("fast")
    Traceback (most recent call last):
    ...
    ValueError: Argument `learning_rate` should be a float, a LearningRateSchedule, or a callable returning the rate; received learning_rate='fast'.
"""

import inspect
import numbers
import warnings

import numpy as np

from nanokeras.ops.tensor import value_of
from nanokeras.ops.variable import Variable
from nanokeras.optimizers.name_error import OptimizerNameError
from nanokeras.utils import keras2_notes
from nanokeras.utils.keyword_arguments import all_keywords, unknown_keywords_error


def _is_number(x):
    return isinstance(x, (numbers.Real, np.number)) and not isinstance(x, (bool, np.bool_))


def pop_legacy_kwargs(learning_rate, kwargs, optimizer_class):
    """Handles Keras 2 arguments with their Keras 2 meaning, noting the Keras 3 spelling.

    `lr` is `learning_rate`; a non-zero `decay` divides the rate by `1 + decay * iterations`,
    which is `InverseTimeDecay(learning_rate, decay_steps=1, decay_rate=decay)`. Any other
    leftover keyword is a mistake: the error names the class and its closest valid argument.
    """
    class_name = optimizer_class.__name__
    has_lr = "lr" in kwargs
    if has_lr:
        learning_rate = kwargs.pop("lr")
    decay = kwargs.pop("decay", None)
    if decay is not None and not _is_number(decay):
        raise ValueError(f"{class_name}: `decay` must be a number (Keras 2's learning-rate decay), got {decay!r}.")
    if kwargs:
        raise unknown_keywords_error(optimizer_class, kwargs, all_keywords(optimizer_class))
    if has_lr:
        keras2_notes.note("optimizer_lr", used=f"`{class_name}(lr=...)`",
                          instead=f"`{class_name}(learning_rate=...)`")
    if decay:
        if callable(learning_rate) or isinstance(learning_rate, Variable):
            raise ValueError(
                f"{class_name}: `decay={decay}` (Keras 2) needs a number as the learning rate, got "
                f"{learning_rate!r}. Put the decay into the schedule instead, e.g. "
                "keras.optimizers.schedules.InverseTimeDecay(rate, decay_steps=1, decay_rate=decay)."
            )
        if decay < 0:
            raise ValueError(f"{class_name}: `decay` must be >= 0, got {decay}.")
        learning_rate = check_learning_rate(learning_rate)
        keras2_notes.note(
            "optimizer_decay", used=f"`{class_name}(decay={decay})`",
            instead=f"`{class_name}(learning_rate=keras.optimizers.schedules.InverseTimeDecay("
                    f"{learning_rate}, decay_steps=1, decay_rate={decay}))`")
        from nanokeras.optimizers.schedules import InverseTimeDecay

        learning_rate = InverseTimeDecay(learning_rate, decay_steps=1, decay_rate=float(decay))
    return learning_rate


def check_learning_rate(learning_rate):
    """Returns a float learning rate, or the schedule/callable; raises on anything else."""
    if isinstance(learning_rate, Variable):
        learning_rate = learning_rate.value
    if callable(learning_rate):
        return learning_rate
    if isinstance(learning_rate, np.ndarray) and learning_rate.ndim == 0:
        learning_rate = learning_rate[()]
    if not _is_number(learning_rate):
        raise ValueError(
            "Argument `learning_rate` should be a float, a LearningRateSchedule, or a "
            f"callable returning the rate; received learning_rate={learning_rate!r}."
        )
    return float(learning_rate)


def _check_optional_number(name, value, minimum=0.0):
    if value is None:
        return
    if not _is_number(value):
        raise TypeError(f"Argument `{name}` must be a number or None; received {name}={value!r}.")
    if value < minimum:
        raise ValueError(f"Argument `{name}` must be >= {minimum}; received {name}={value!r}.")


def check_options(weight_decay, clipnorm, clipvalue, global_clipnorm, use_ema, ema_momentum,
                  ema_overwrite_frequency, loss_scale_factor, gradient_accumulation_steps, name):
    """Validates the arguments common to all optimizers (see `Optimizer`)."""
    if name is not None and not isinstance(name, str):
        raise OptimizerNameError(f"Argument `name` must be a string; received name={name!r}.")
    for arg, value in (("weight_decay", weight_decay), ("clipnorm", clipnorm),
                       ("clipvalue", clipvalue), ("global_clipnorm", global_clipnorm)):
        _check_optional_number(arg, value)
    if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
        raise ValueError(
            "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
            f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, global_clipnorm={global_clipnorm}"
        )
    if loss_scale_factor is not None:
        _check_optional_number("loss_scale_factor", loss_scale_factor)
        if loss_scale_factor == 0:
            raise ValueError("Argument `loss_scale_factor` must be non-zero; received 0.")
    if gradient_accumulation_steps is not None:
        if not isinstance(gradient_accumulation_steps, (int, np.integer)) or isinstance(
            gradient_accumulation_steps, bool
        ) or gradient_accumulation_steps < 2:
            raise ValueError(
                "`gradient_accumulation_steps` must be an integer >= 2. "
                f"Received: gradient_accumulation_steps={gradient_accumulation_steps!r}"
            )
    if use_ema:
        if not _is_number(ema_momentum) or not 0 <= ema_momentum <= 1:
            raise ValueError(
                f"`ema_momentum` must be in the range [0, 1]. Received: ema_momentum={ema_momentum!r}"
            )
        if ema_overwrite_frequency is not None and (
            not isinstance(ema_overwrite_frequency, (int, np.integer))
            or isinstance(ema_overwrite_frequency, bool)
            or ema_overwrite_frequency < 1
        ):
            raise ValueError(
                "`ema_overwrite_frequency` must be an integer >= 1 or None. "
                f"Received: ema_overwrite_frequency={ema_overwrite_frequency!r}"
            )


def check_unit_interval(name, value, low_open=False):
    """Raises unless `value` is a number in [0, 1] (or (0, 1] with `low_open`)."""
    ok = _is_number(value) and (0 < value <= 1 if low_open else 0 <= value <= 1)
    if not ok:
        interval = "(0, 1]" if low_open else "[0, 1]"
        raise ValueError(f"Argument `{name}` must be a float in {interval}; received {name}={value!r}.")


def check_variables(variables):
    for v in variables:
        if not isinstance(v, Variable):
            raise TypeError(
                f"Optimizers update `keras.Variable`s; got {type(v).__name__} ({v!r:.80}). "
                "Pass `model.trainable_variables`."
            )


def prepare_gradients(grads, variables):
    """Drops None gradients, casts the rest to their variable's dtype, checks shapes.

    Returns (grads, variables) for the gradients kept. Raises before any state changes.
    """
    kept_grads, kept_vars, missing = [], [], []
    for g, v in zip(grads, variables):
        if g is None:
            missing.append(v.path)
            continue
        g = value_of(g)
        x = v.value
        if type(g) is not np.ndarray or g.dtype != x.dtype:
            try:
                g = np.asarray(g, dtype=x.dtype)
            except (TypeError, ValueError):
                raise TypeError(
                    f"The gradient for variable {v.path!r} must be numeric array-like; "
                    f"got {type(g).__name__}."
                ) from None
        if g.shape != x.shape:
            raise ValueError(
                f"Gradient shape {g.shape} does not match the shape {x.shape} of variable "
                f"{v.path!r}. Pass gradients in the same order as the variables."
            )
        kept_grads.append(g)
        kept_vars.append(v)
    if not kept_grads:
        raise ValueError(
            "No gradients provided for any variable (all were None). Check that the loss "
            "depends on the variables and was computed inside the GradientTape."
        )
    if missing:
        warnings.warn(
            f"Gradients do not exist for variables {missing} when minimizing the loss. "
            "If using `model.compile()`, did you forget to provide a `loss` argument?",
            stacklevel=4,
        )
    return kept_grads, kept_vars


def call_schedule(schedule, step):
    """Evaluates a learning-rate schedule at `step`, or a zero-argument callable."""
    from nanokeras.optimizers.schedules import LearningRateSchedule

    if isinstance(schedule, LearningRateSchedule):
        return schedule(step)
    try:
        takes_step = any(
            p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            for p in inspect.signature(schedule).parameters.values()
        )
    except (TypeError, ValueError):
        takes_step = False
    return schedule(step) if takes_step else schedule()


def serialize_schedule(schedule):
    from nanokeras.optimizers.schedules import LearningRateSchedule, serialize

    if isinstance(schedule, LearningRateSchedule):
        return serialize(schedule)
    # A plain callable is kept as is: `from_config(get_config())` still works in memory.
    return schedule


def deserialize_schedule(config, custom_objects=None):
    from nanokeras.optimizers.schedules import deserialize

    return deserialize(config, custom_objects=custom_objects)
