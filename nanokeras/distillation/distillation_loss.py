"""What a student is taught to match: `DistillationLoss` and its two kinds.

- `LogitsDistillation`: the final outputs, both divided by a temperature; a
  `KLDivergence` loss instance compares their softmaxes and is scaled by T**2 (as in
  Hinton et al.), any other loss compares the scaled outputs themselves.
- `FeatureDistillation`: the outputs of two named layers (or the final outputs).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> loss = keras.distillation.LogitsDistillation(temperature=2.0, loss=keras.losses.KLDivergence())
    >>> float(loss.compute_loss(np.array([[2.0, 0.0]]), np.array([[2.0, 0.0]])))
    0.0
"""

from nanokeras import losses as losses_module
from nanokeras import ops, tree
from nanokeras.saving import serialization_lib


def _as_loss(item, argument):
    """A loss from a string identifier, a loss object or function, or None (kept)."""
    if item is None or callable(item):
        return item
    if isinstance(item, str):
        return losses_module.get(item)
    raise TypeError(
        f"Argument `{argument}` must be a loss (a string such as 'mse', a keras.losses.Loss, a function) or None, "
        f"or a nested structure of them; got {type(item).__name__}: {item!r}."
    )


def _check_losses(losses, argument, owner):
    if all(item is None for item in tree.flatten(losses)):
        raise ValueError(f"The `{argument}` argument in `{owner}` must contain at least one non-`None` loss.")


def _sum(values):
    return ops.sum(ops.stack([ops.convert_to_tensor(v, dtype="float32") if isinstance(v, float) else v
                              for v in tree.flatten(values)]))


class DistillationLoss:
    """The base of distillation losses: subclasses implement `compute_loss(teacher_outputs, student_outputs)`.

    `validate_outputs` checks the two outputs have the same structure;
    `validate_model_compatibility(teacher, student)` may refuse a pair of models.
    """

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        """The (scalar) loss of `student_outputs` against `teacher_outputs`."""
        raise NotImplementedError(f"{type(self).__name__} must implement `compute_loss`.")

    def validate_outputs(self, teacher_outputs, student_outputs):
        tree.assert_same_structure(teacher_outputs, student_outputs)

    def validate_model_compatibility(self, teacher, student):
        """Refuses models this loss cannot work with; the base accepts any pair."""


class LogitsDistillation(DistillationLoss):
    """Matches the student's final outputs to the teacher's, softened by a temperature.

    Args:
        temperature: a positive number both outputs are divided by (higher: softer).
        loss: a loss identifier, object or function, or a nested structure of them
            (None skips that output) matching the models' outputs. Defaults to
            `"kl_divergence"` (the function, applied to the scaled outputs themselves;
            pass `keras.losses.KLDivergence()` to compare softmaxes, scaled by T**2).
    """

    def __init__(self, temperature=3.0, loss="kl_divergence"):
        converted = tree.map_structure(lambda item: _as_loss(item, "loss"), loss)
        _check_losses(converted, "loss", "LogitsDistillation")
        if isinstance(temperature, bool) or not isinstance(temperature, (int, float)):
            raise ValueError(f"Argument `temperature` must be a number, got {type(temperature).__name__}: "
                             f"{temperature!r}.")
        if temperature <= 0.0:
            raise ValueError(f"Argument `temperature` must be positive, got {temperature}.")
        self.temperature = temperature
        self.loss = converted

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        t = self.temperature
        teacher = tree.map_structure(lambda x: ops.divide(x, t), teacher_outputs)
        student = tree.map_structure(lambda x: ops.divide(x, t), student_outputs)

        def one(loss_fn, teacher_logits, student_logits):
            if loss_fn is None:
                return 0.0
            if isinstance(loss_fn, losses_module.KLDivergence):
                value = ops.mean(loss_fn(ops.softmax(teacher_logits, axis=-1), ops.softmax(student_logits, axis=-1)))
                return value * (t ** 2)
            return ops.mean(loss_fn(teacher_logits, student_logits))

        return _sum(tree.map_structure(one, self.loss, teacher, student))

    def get_config(self):
        return {"temperature": self.temperature, "loss": serialization_lib.serialize_keras_object(self.loss)}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["loss"] = losses_module.deserialize(config["loss"])
        return cls(**config)


class FeatureDistillation(DistillationLoss):
    """Matches the outputs of a student layer to those of a teacher layer.

    Args:
        loss: a loss identifier, object or function (or a nested structure of them,
            None skipping an output) comparing the two features. Defaults to `"mse"`.
        teacher_layer_name: the teacher layer whose output is the target; None: the final output.
        student_layer_name: the student layer trained to match it; None: the final output.

    Layer names need Functional or Sequential models (their layers' outputs are symbolic).
    """

    def __init__(self, loss="mse", teacher_layer_name=None, student_layer_name=None):
        converted = tree.map_structure(lambda item: _as_loss(item, "loss"), loss)
        _check_losses(converted, "loss", "FeatureDistillation")
        self.teacher_layer_name = teacher_layer_name
        self.student_layer_name = student_layer_name
        self.loss = converted

    def validate_model_compatibility(self, teacher, student):
        if self.teacher_layer_name is None and self.student_layer_name is None:
            return
        subclassed = [role for role, model in (("teacher", teacher), ("student", student))
                      if getattr(model, "inputs", None) is None]
        if subclassed:
            raise ValueError(
                "FeatureDistillation with specific layer names requires Functional or Sequential models. The "
                f"{' and '.join(subclassed)} model(s) appear to be subclassed (no symbolic inputs/outputs). "
                "Either use Functional/Sequential models, or use FeatureDistillation without layer names "
                "(to distill final outputs only), or use LogitsDistillation instead."
            )
        for role, model, name in (("teacher", teacher, self.teacher_layer_name),
                                  ("student", student, self.student_layer_name)):
            if name is not None:
                try:
                    model.get_layer(name=name)
                except ValueError as error:
                    raise ValueError(f"In {role} model: {error}") from None

    def validate_outputs(self, teacher_outputs, student_outputs):
        super().validate_outputs(teacher_outputs, student_outputs)
        try:
            tree.assert_same_structure(self.loss, teacher_outputs)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"Loss structure mismatch in FeatureDistillation: the `loss` argument must have the structure of "
                f"the features. Error: {error}"
            ) from None

    def compute_loss(self, teacher_outputs, student_outputs, **kwargs):
        def one(loss_fn, teacher_features, student_features):
            if loss_fn is None:
                return 0.0
            return ops.mean(loss_fn(teacher_features, student_features))

        return _sum(tree.map_structure(one, self.loss, teacher_outputs, student_outputs))

    def get_config(self):
        return {"loss": losses_module.serialize(self.loss), "teacher_layer_name": self.teacher_layer_name,
                "student_layer_name": self.student_layer_name}

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        config["loss"] = losses_module.deserialize(config["loss"])
        return cls(**config)
