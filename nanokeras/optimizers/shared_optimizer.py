"""One optimizer object used by several models (Keras 2's GAN pattern).

Keras 2 created an optimizer's slots lazily, per variable, so one `Adam()` could be
compiled into a GAN's discriminator and into the combined model: each model's weights
got their own moments, and the step counter `iterations` counted the updates of both.
Keras 3 builds an optimizer once for one set of variables and refuses any other.

`add_variables` gives a built optimizer slots for new variables exactly as its `build`
makes them, keeping everything it already has.
"""

from nanokeras.ops.variable import Variable
from nanokeras.optimizers import arguments
from nanokeras.utils import keras2_notes


def _is_slot_list(value, length):
    return type(value) is list and len(value) == length and all(v is None or isinstance(v, Variable) for v in value)


def add_variables(optimizer, variables):
    """Extends the built `optimizer` to the variables of `variables` it doesn't know yet."""
    known = optimizer._trainable_variables_indices
    new, seen = [], set()
    for v in variables:
        if id(v) not in known and id(v) not in seen:
            seen.add(id(v))
            new.append(v)
    if not new:
        return
    arguments.check_variables(new)
    keras2_notes.note("shared_optimizer", used=(
        f"optimizer {optimizer.name!r} updating variables it was not built for (a second model's, or "
        "layers unfrozen after `compile`: Keras 3 wants `compile` again after changing `trainable`)"))
    old_variables = list(optimizer._trainable_variables)
    old_buffers = list(optimizer._buffers)
    before = dict(optimizer.__dict__)
    optimizer.built = False
    try:
        # The subclass's `build` makes the new variables' slots as it made the first ones'.
        optimizer.build(new)
    finally:
        optimizer.built = True
    for name, old in before.items():
        current = optimizer.__dict__.get(name)
        if current is old:
            continue
        if _is_slot_list(old, len(old_variables)) and _is_slot_list(current, len(new)):
            object.__setattr__(optimizer, name, old + current)
        elif isinstance(old, Variable) and isinstance(current, Variable):
            # Per-optimizer state that `build` creates (e.g. Nadam's momentum product) stays one.
            optimizer._untrack_variable(current)
            object.__setattr__(optimizer, name, old)
    everything = old_variables + new
    optimizer._trainable_variables = everything
    optimizer._trainable_variables_indices = {id(v): i for i, v in enumerate(everything)}
    optimizer._buffers = old_buffers + optimizer._buffers
    optimizer._any_overwrite_with_gradient = any(getattr(v, "overwrite_with_gradient", False) for v in everything)
