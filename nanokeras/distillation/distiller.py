"""`Distiller`: a model that trains a student on labels and on a frozen teacher's outputs.

Its loss, per batch: `w * student_loss + (1 - w) * sum_i(weight_i * distillation_loss_i)`,
with `w = student_loss_weight`; the student loss is the compiled `loss` on the labels
(averaged over the batch), each distillation loss compares teacher and student outputs
(final, or of named layers). `fit` trains the student only (the teacher is frozen when
the distiller is made); `call` is the student's. The three parts are logged as
`student_loss`, `distillation_loss` and `total_loss` (per-batch means).

Example:
    >>> import numpy as np, nanokeras as keras
    >>> teacher = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    >>> student = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    >>> distiller = keras.distillation.Distiller(teacher, student, keras.distillation.LogitsDistillation())
    >>> distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    >>> history = distiller.fit(np.ones((8, 4), "float32"), np.zeros(8), epochs=1, verbose=0)
    >>> sorted(history.history)
    ['distillation_loss', 'loss', 'student_loss', 'total_loss']
"""

from nanokeras import metrics, ops, tree
from nanokeras.distillation.distillation_loss import _as_loss
from nanokeras.models import Model, Sequential
from nanokeras.saving import serialization_lib


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_shapes(teacher_shape, student_shape, what):
    if len(teacher_shape) != len(student_shape):
        raise ValueError(f"Teacher and student {what} shapes have different dimensions. "
                         f"Teacher: {teacher_shape}, Student: {student_shape}.")
    for a, b in zip(teacher_shape, student_shape):
        if a is not None and b is not None and a != b:
            raise ValueError(f"Teacher and student {what} shapes are incompatible. Teacher: {teacher_shape}, "
                             f"Student: {student_shape}. All dimensions must match.")


def _check_dtypes(teacher_dtype, student_dtype, what):
    if teacher_dtype != student_dtype:
        raise ValueError(f"Teacher and student {what} dtypes must match. Teacher: {teacher_dtype}, "
                         f"Student: {student_dtype}.")


class Distiller(Model):
    """Knowledge distillation: `student` learns from labels and from the frozen `teacher`.

    Args:
        teacher: a trained `keras.Model` (frozen: `teacher.trainable = False`).
        student: the `keras.Model` to train (afterwards, `distiller.student`).
        distillation_losses: a `DistillationLoss` or a list of them.
        distillation_loss_weights: one weight per distillation loss (a list);
            defaults to 1.0 each.
        student_loss_weight: the share `w` of the supervised loss, in [0, 1]
            (the distillation losses get `1 - w`). Defaults to 0.5.
        name: the model's name.
    """

    def __init__(self, teacher, student, distillation_losses, distillation_loss_weights=None,
                 student_loss_weight=0.5, name="distiller", **kwargs):
        for role, model in (("teacher", teacher), ("student", student)):
            if not isinstance(model, Model):
                raise ValueError(f"Argument `{role}` must be a keras.Model, got {type(model).__name__}.")
        self._check_models(teacher, student)
        if not _is_number(student_loss_weight):
            raise ValueError(f"Argument `student_loss_weight` must be a number, got "
                             f"{type(student_loss_weight).__name__}: {student_loss_weight!r}.")
        if not 0.0 <= student_loss_weight <= 1.0:
            raise ValueError(f"Argument `student_loss_weight` must be between 0.0 and 1.0, got {student_loss_weight}.")
        if distillation_losses is None:
            raise ValueError("Argument `distillation_losses` cannot be None: pass a distillation loss (e.g. "
                             "keras.distillation.LogitsDistillation()) or a list of them.")
        if not isinstance(distillation_losses, (list, tuple)):
            losses, weights = [distillation_losses], [1.0]
        else:
            losses = list(distillation_losses)
            if distillation_loss_weights is None:
                weights = [1.0] * len(losses)
            elif len(distillation_loss_weights) != len(losses):
                raise ValueError(f"Number of `distillation_loss_weights` ({len(distillation_loss_weights)}) must "
                                 f"match the number of `distillation_losses` ({len(losses)}).")
            else:
                weights = list(distillation_loss_weights)
        for loss in losses:
            if not hasattr(loss, "compute_loss"):
                raise TypeError("Every item of `distillation_losses` must be a keras.distillation.DistillationLoss, "
                                f"got {type(loss).__name__}.")
            loss.validate_model_compatibility(teacher, student)
        super().__init__(name=name, **kwargs)
        self.teacher = teacher
        self.student = student
        self.student_loss_weight = student_loss_weight
        self.distillation_losses = losses
        self.distillation_loss_weights = weights
        self._teacher_features = self._feature_extractor(teacher, "teacher_layer_name")
        self._student_features = self._feature_extractor(student, "student_layer_name")
        teacher.trainable = False
        self.student_loss_tracker = metrics.Mean(name="student_loss")
        self.distillation_loss_tracker = metrics.Mean(name="distillation_loss")
        self.total_loss_tracker = metrics.Mean(name="total_loss")

    @staticmethod
    def _check_models(teacher, student):
        t_in, s_in = getattr(teacher, "inputs", None), getattr(student, "inputs", None)
        t_out, s_out = getattr(teacher, "outputs", None), getattr(student, "outputs", None)
        if t_in is not None and s_in is not None:
            tree.map_structure(lambda a, b: _check_shapes(a.shape, b.shape, "input"), t_in, s_in)
        if t_out is not None and s_out is not None:
            tree.map_structure(lambda a, b: _check_shapes(a.shape, b.shape, "output"), t_out, s_out)
        if t_in is not None and s_in is not None:
            tree.map_structure(lambda a, b: _check_dtypes(a.dtype, b.dtype, "input"), t_in, s_in)
            if t_out is not None and s_out is not None:
                tree.map_structure(lambda a, b: _check_dtypes(a.dtype, b.dtype, "output"), t_out, s_out)

    def _feature_extractor(self, model, attribute):
        """A functional model giving the final output and every named layer's output, or None."""
        names = []
        for loss in self.distillation_losses:
            name = getattr(loss, attribute, None)
            if name and name not in names:
                names.append(name)
        if not names:
            return None
        final = model.layers[-1].output if isinstance(model, Sequential) else model.output
        outputs = {"final_output": final}
        for name in names:
            outputs[name] = model.get_layer(name=name).output
        return Model(inputs=model.inputs, outputs=outputs, name=f"{model.name}_multi_feature_extractor")

    def compile(self, optimizer="adam", loss=None, metrics=None, **kwargs):
        """Compiles for training the student: `loss` is the student's supervised loss (required).

        Args:
            optimizer: the optimizer of the student's weights.
            loss: a loss identifier, object or function (or a structure of them, one per output).
            metrics: a list of metrics of the student's predictions.
        """
        if loss is None:
            raise ValueError("Argument `loss` of Distiller.compile cannot be None: it is the student's supervised "
                             "loss, e.g. loss='sparse_categorical_crossentropy'.")
        if metrics is not None and not isinstance(metrics, (list, tuple)):
            raise ValueError(f"Argument `metrics` must be a list or tuple, got {type(metrics).__name__}.")
        student_loss = tree.map_structure(lambda item: _as_loss(item, "loss"), loss)
        super().compile(optimizer=optimizer, loss=None, metrics=metrics, **kwargs)
        self._student_loss = student_loss

    def call(self, inputs, training=None, **kwargs):
        return self.student(inputs, training=training, **kwargs)

    def _features(self, extractor, model, x, y_pred, training):
        if extractor is not None:
            return extractor(x, training=training)
        return {"final_output": y_pred if y_pred is not None else model(x, training=training)}

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The weighted sum of the student's loss on `y` and the distillation losses (see the class)."""
        if y_pred is None:
            y_pred = self(x, training=training)
        student_loss = 0.0
        if self.student_loss_weight > 0.0 and y is not None:
            values = tree.flatten(tree.map_structure(lambda fn, target, pred: fn(target, pred),
                                                     self._student_loss, y, y_pred))
            student_loss = ops.sum(ops.stack(values)) if len(values) > 1 else values[0]
            if len(ops.shape(student_loss)) > 0:
                student_loss = ops.mean(student_loss)
        distillation_loss = 0.0
        if self.student_loss_weight < 1.0:
            teacher_features = self._features(self._teacher_features, self.teacher, x, None, False)
            student_features = self._features(self._student_features, self.student, x, y_pred, True)
            for loss, weight in zip(self.distillation_losses, self.distillation_loss_weights):
                if getattr(loss, "teacher_layer_name", None) is not None:
                    teacher_out = teacher_features[loss.teacher_layer_name]
                    student_out = student_features[loss.student_layer_name or "final_output"]
                else:
                    teacher_out, student_out = teacher_features["final_output"], y_pred
                loss.validate_outputs(teacher_out, student_out)
                value = loss.compute_loss(teacher_out, student_out)
                if len(ops.shape(value)) > 0:
                    raise ValueError(f"Distillation loss {type(loss).__name__} returned a non-scalar loss with shape "
                                     f"{tuple(ops.shape(value))}: its `compute_loss` must return a scalar.")
                distillation_loss = ops.add(distillation_loss, ops.multiply(weight, value))
        total = ops.add(ops.multiply(self.student_loss_weight, student_loss),
                        ops.multiply(ops.subtract(1.0, self.student_loss_weight), distillation_loss))
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.total_loss_tracker.update_state(total)
        return total

    def get_config(self):
        config = super().get_config()
        config.update({
            "teacher": serialization_lib.serialize_keras_object(self.teacher),
            "student": serialization_lib.serialize_keras_object(self.student),
            "distillation_losses": [serialization_lib.serialize_keras_object(loss)
                                    for loss in self.distillation_losses],
            "distillation_loss_weights": self.distillation_loss_weights,
            "student_loss_weight": self.student_loss_weight,
        })
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("teacher", "student"):
            config[key] = serialization_lib.deserialize_keras_object(config[key], custom_objects=custom_objects)
        config["distillation_losses"] = [serialization_lib.deserialize_keras_object(item,
                                                                                    custom_objects=custom_objects)
                                         for item in config["distillation_losses"]]
        config.pop("trainable", None)
        config.pop("dtype", None)
        return cls(**config)
