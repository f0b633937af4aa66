"""Scalar emitters for what follows the gradients: optimizer updates and metric updates.

Each optimizer emitter writes the numpy kernel of its class (`nanokeras/optimizers/`) as
Python lines, element by element, in the kernel's order, every stored value rounded to
float32 (weights and slots are state: they must stay the float32 numbers the kernel
keeps). Each metric emitter writes its `update_state` (`nanokeras/metrics/`): one value
per sample, then `total += sum(values)` and `count += samples`, rounded as
`metrics._utils.add_to` rounds.

`optimizer_blocker`/`metric_blocker` say (a sentence) why an object is not covered.
"""

import numpy as np

from nanokeras.metrics import accuracy_metrics, regression_metrics
from nanokeras.ops.variable import Variable
from nanokeras.optimizers.adagrad import Adagrad
from nanokeras.optimizers.adam import Adam
from nanokeras.optimizers.rmsprop import RMSprop
from nanokeras.optimizers.sgd import SGD
from nanokeras.trainers.scalar_code import literal


def f32(value):
    """The float32 literal numpy would use for a Python hyper-parameter."""
    return literal(np.float32(value))


# ------------------------------------------------------------------ optimizers


def _sgd(code, optimizer, index, w, g, slot):
    a = code.let(f"{g} * lr", "a")
    if not optimizer.momentums:
        code.let(f"{w} - {a}", name=w, exact=True)
        return
    m, momentum = slot("momentums"), f32(optimizer.momentum)
    code.let(f"{m} * {momentum}", name=m)  # (an intermediate value: rounded by the policy)
    code.let(f"{m} - {a}", name=m, exact=True)
    if optimizer.nesterov:
        b = code.let(f"{code.let(f'{m} * {momentum}', 'b')} - {a}", "b")
        code.let(f"{w} + {b}", name=w, exact=True)
    else:
        code.let(f"{w} + {m}", name=w, exact=True)


def _adam_step(code, optimizer):
    """`alpha = lr * sqrt(1 - beta_2**t) / (1 - beta_1**t)`, once per step, in float32."""
    t = code.let("it + 1", "t", rounded=False)
    b1t = code.let(f"{f32(optimizer.beta_1)} ** {t}", "t")
    b2t = code.let(f"{f32(optimizer.beta_2)} ** {t}", "t")
    root = code.let(f"sqrt({code.let(f'1.0 - {b2t}', 't')})", "t")
    numerator = code.let(f"lr * {root}", "t")
    return code.let(f"{numerator} / {code.let(f'1.0 - {b1t}', 't')}", "alpha", exact=True)


def _adam(code, optimizer, index, w, g, slot, alpha):
    m, v = slot("_momentums"), slot("_velocities")
    one_minus_b1, one_minus_b2 = f32(1 - optimizer.beta_1), f32(1 - optimizer.beta_2)
    a = code.let(f"{code.let(f'{g} - {m}', 'a')} * {one_minus_b1}", "a")
    code.let(f"{m} + {a}", name=m, exact=True)
    a = code.let(f"{code.let(f'{g} * {g}', 'a')} - {v}", "a")
    a = code.let(f"{a} * {one_minus_b2}", "a")
    code.let(f"{v} + {a}", name=v, exact=True)
    if optimizer.amsgrad:
        v_hat = slot("_velocity_hats")
        code.let(f"{v} if {v} > {v_hat} else {v_hat}", name=v_hat, rounded=False)
        v = v_hat
    a = code.let(f"{m} * {alpha}", "a")
    b = code.let(f"{code.let(f'sqrt({v})', 'b')} + {f32(optimizer.epsilon)}", "b")
    code.let(f"{w} - {code.let(f'{a} / {b}', 'a')}", name=w, exact=True)


def _rmsprop(code, optimizer, index, w, g, slot):
    rho, one_minus_rho = f32(optimizer.rho), f32(1 - optimizer.rho)
    v = slot("_velocities")
    code.let(f"{v} * {rho}", name=v)  # (an intermediate value: rounded by the policy)
    a = code.let(f"{code.let(f'{g} * {g}', 'a')} * {one_minus_rho}", "a")
    code.let(f"{v} + {a}", name=v, exact=True)
    if optimizer.centered:
        average = slot("_average_gradients")
        code.let(f"{average} * {rho}", name=average)  # (an intermediate value: rounded by the policy)
        code.let(f"{average} + {code.let(f'{g} * {one_minus_rho}', 'a')}", name=average, exact=True)
        b = code.let(f"{v} - {code.let(f'{average} * {average}', 'b')}", "b")
        b = code.let(f"{b} + {f32(optimizer.epsilon)}", "b")
    else:
        b = code.let(f"{v} + {f32(optimizer.epsilon)}", "b")
    b = code.let(f"sqrt({b})", "b")
    a = code.let(f"{code.let(f'{g} * lr', 'a')} / {b}", "a")
    if optimizer.momentum > 0:
        momentum = slot("_momentums")
        code.let(f"{momentum} * {f32(optimizer.momentum)}", name=momentum)  # (an intermediate value: rounded by the policy)
        code.let(f"{momentum} + {a}", name=momentum, exact=True)
        code.let(f"{w} - {momentum}", name=w, exact=True)
    else:
        code.let(f"{w} - {a}", name=w, exact=True)


def _adagrad(code, optimizer, index, w, g, slot):
    accumulator = slot("_accumulators")
    code.let(f"{accumulator} + {code.let(f'{g} * {g}', 'a')}", name=accumulator, exact=True)
    b = code.let(f"sqrt({code.let(f'{accumulator} + {f32(optimizer.epsilon)}', 'b')})", "b")
    a = code.let(f"{code.let(f'{g} * lr', 'a')} / {b}", "a")
    code.let(f"{w} - {a}", name=w, exact=True)


# class -> (the slot lists it keeps per variable, its update emitter)
OPTIMIZERS = {
    SGD: (("momentums",), _sgd),
    Adam: (("_momentums", "_velocities", "_velocity_hats"), _adam),
    RMSprop: (("_velocities", "_momentums", "_average_gradients"), _rmsprop),
    Adagrad: (("_accumulators",), _adagrad),
}


# The attributes an update emitter bakes into the code as constants.
_HYPERPARAMETERS = {SGD: ("momentum", "nesterov"), Adam: ("beta_1", "beta_2", "epsilon", "amsgrad"),
                    RMSprop: ("rho", "momentum", "epsilon", "centered"), Adagrad: ("epsilon",)}


def settings(optimizer, metrics):
    """`(object, attribute)` pairs of the settings a program is written with: when one changes
    (`optimizer.momentum = 0.5` between two fits), the program is written again."""
    pairs = [(optimizer, name) for name in _HYPERPARAMETERS.get(type(optimizer), ())]
    return pairs + [(metric, "threshold") for metric in metrics if type(metric) is accuracy_metrics.BinaryAccuracy]


def optimizer_blocker(optimizer, variables):
    """Why the tiny path cannot write `optimizer`'s step (a sentence), or None."""
    if type(optimizer) not in OPTIMIZERS:
        return f"the optimizer {type(optimizer).__name__} has no scalar update (covered: SGD, Adam, RMSprop, Adagrad)"
    for option in ("weight_decay", "clipnorm", "clipvalue", "global_clipnorm", "loss_scale_factor",
                   "gradient_accumulation_steps"):
        if getattr(optimizer, option, None):
            return f"the optimizer uses `{option}`"
    if optimizer.use_ema:
        return "the optimizer uses `use_ema`"
    if not isinstance(optimizer._learning_rate, Variable):
        return "the learning rate is a schedule (it changes every step)"
    for variable in variables:
        if variable.constraint is not None or getattr(variable, "overwrite_with_gradient", False):
            return f"the weight {variable.name!r} has a constraint"
    return None


def emit_optimizer_step(code, optimizer, weights, gradients, slot_names):
    """Lines updating every weight (object arrays `weights`) from `gradients`.

    `slot_names(kind, index)` gives the object array of the slot `kind` of variable `index`.
    """
    kinds, update = OPTIMIZERS[type(optimizer)]
    extra = (_adam_step(code, optimizer),) if type(optimizer) is Adam else ()
    for index, (w, g) in enumerate(zip(weights, gradients)):
        for position in np.ndindex(*w.shape):
            def slot(kind, index=index, position=position):
                return slot_names(kind, index)[position]

            update(code, optimizer, index, w[position], g[position], slot, *extra)


def optimizer_slots(optimizer, variables):
    """`{kind: [slot Variable per variable of `variables`]}` for the slots the update reads. The
    optimizer may hold slots for more variables (built before some layers were frozen)."""
    kinds, _ = OPTIMIZERS[type(optimizer)]
    indices = [optimizer._get_variable_index(variable) for variable in variables]
    slots = {}
    for kind in kinds:
        values = getattr(optimizer, kind, None) or []
        if values:
            slots[kind] = [values[index] for index in indices]
    return slots


# --------------------------------------------------------------------- metrics


def _binary_accuracy(code, metric, t, p):
    threshold = f32(metric.threshold)
    return f"(1.0 if {t} == (1.0 if {p} > {threshold} else 0.0) else 0.0)"


def _accuracy(code, metric, t, p):
    return f"(1.0 if {t} == {p} else 0.0)"


def _squared_error(code, metric, t, p):
    d = code.let(f"{t} - {p}", "md")
    return code.let(f"{d} * {d}", "md")


def _absolute_error(code, metric, t, p):
    return f"abs({code.let(f'{t} - {p}', 'md')})"


def _argmax(code, row):
    """The index of the first largest of `row`'s expressions (numpy's argmax, NaN aside)."""
    best, index = row[0], "0"
    for j, value in enumerate(row[1:], start=1):
        index = code.let(f"{j} if {value} > {best} else {index}", "ix", rounded=False)
        best = code.let(f"{value} if {value} > {best} else {best}", "mx", rounded=False)
    return index


def _rowwise(per_element):
    """A metric whose per-sample value is the mean over the last axis of `per_element`."""
    def values(code, metric, y, y_pred):
        if y.shape != y_pred.shape:
            if y.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
                y = y.reshape(y_pred.shape)
            else:
                return None
        rows = y_pred.reshape(y_pred.shape[0], -1) if y_pred.ndim > 1 else y_pred.reshape(-1, 1)
        labels = y.reshape(rows.shape)
        out = []
        for i in range(rows.shape[0]):
            terms = [per_element(code, metric, labels[i, j], rows[i, j]) for j in range(rows.shape[1])]
            if len(terms) == 1:
                out.append(terms[0])
            else:
                out.append(code.let(f"{code.sum(terms, 'mv')} / {literal(len(terms))}", "mv"))
        return out

    return values


def _categorical_accuracy(code, metric, y, y_pred):
    if y.shape != y_pred.shape or y_pred.ndim != 2:
        return None
    return [f"(1.0 if {_argmax(code, list(y[i]))} == {_argmax(code, list(y_pred[i]))} else 0.0)"
            for i in range(y_pred.shape[0])]


def _sparse_categorical_accuracy(code, metric, y, y_pred):
    if y_pred.ndim != 2 or y.size != y_pred.shape[0]:
        return None
    labels = y.reshape(-1)
    return [f"(1.0 if {labels[i]} == {_argmax(code, list(y_pred[i]))} else 0.0)" for i in range(y_pred.shape[0])]


# class -> (the function it must wrap, per-sample values emitter)
METRICS = {
    accuracy_metrics.BinaryAccuracy: (accuracy_metrics.binary_accuracy, _rowwise(_binary_accuracy)),
    accuracy_metrics.Accuracy: (accuracy_metrics.accuracy, _rowwise(_accuracy)),
    accuracy_metrics.CategoricalAccuracy: (accuracy_metrics.categorical_accuracy, _categorical_accuracy),
    accuracy_metrics.SparseCategoricalAccuracy: (accuracy_metrics.sparse_categorical_accuracy,
                                                 _sparse_categorical_accuracy),
    regression_metrics.MeanSquaredError: (regression_metrics.mean_squared_error, _rowwise(_squared_error)),
    regression_metrics.MeanAbsoluteError: (regression_metrics.mean_absolute_error, _rowwise(_absolute_error)),
}


_ROWWISE_HITS = (accuracy_metrics.BinaryAccuracy, accuracy_metrics.Accuracy)
_ARGMAX_HITS = (accuracy_metrics.CategoricalAccuracy, accuracy_metrics.SparseCategoricalAccuracy)


def metric_blocker(metric):
    found = METRICS.get(type(metric))
    if found is None or getattr(metric, "_fn", None) is not found[0]:
        return f"the metric {metric.name!r} ({type(metric).__name__}) has no scalar update"
    allowed = {"threshold"} if type(metric) is accuracy_metrics.BinaryAccuracy else set()
    if set(metric._fn_kwargs) - allowed:
        return f"the metric {metric.name!r} has arguments the tiny path does not cover"
    if metric.dtype != "float32":
        return f"the metric {metric.name!r} computes in {metric.dtype}"
    return None


def emit_metric_update(code, metric, y, y_pred, sample_weight, total, count):
    """Lines accumulating `metric`'s per-sample values into the state names `total`/`count`.
    Returns False when the shapes are not ones the emitter handles."""
    values = METRICS[type(metric)][1](code, metric, y, y_pred)
    if values is None:
        return False
    # hits are 0 or 1 per sample (a rowwise metric: when a sample has one value)
    whole = type(metric) in _ARGMAX_HITS or (type(metric) in _ROWWISE_HITS and y_pred.size == y_pred.shape[0])
    emit_mean_update(code, values, sample_weight, total, count, whole=whole)
    return True


def emit_mean_update(code, values, sample_weight, total, count, whole=False):
    """`Mean.update_state(values, sample_weight)`: weighted values summed in float32.
    `whole`: the values are 0 or 1 (hits), so without weights their total is a count."""
    if sample_weight is None:
        amount = " + ".join(values) if whole else code.sum(values, "ms")
        if whole:
            code.count(total, amount)
        else:
            code.let(f"{total} + {amount}", name=total, exact=True)
        code.count(count, literal(len(values)))
        return
    weights = list(sample_weight.reshape(-1))
    amount = code.sum([code.let(f"{v} * {w}", "mv") for v, w in zip(values, weights)], "ms")
    code.let(f"{total} + {amount}", name=total, exact=True)
    code.let(f"{count} + {code.sum(weights, 'ms')}", name=count, exact=True)


def emit_loss_tracker(code, loss, batch_size, total, count):
    """`loss_tracker.update_state(loss, sample_weight=batch_size)`."""
    amount = loss if batch_size == 1 else code.let(f"{loss} * {literal(batch_size)}", "ms", exact=True)
    code.let(f"{total} + {amount}", name=total, exact=True)
    code.count(count, literal(batch_size))
