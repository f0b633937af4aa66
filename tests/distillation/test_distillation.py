"""`keras.distillation`: closed-form losses, the Distiller's loss and training, configs and errors."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import distillation


def _softmax(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _models(seed=0):
    keras.utils.set_random_seed(seed)
    teacher = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, activation="relu", name="t_hidden"),
                                keras.layers.Dense(3, name="t_out")])
    student = keras.Sequential([keras.Input((4,)), keras.layers.Dense(5, name="s_hidden"),
                                keras.layers.Dense(3, name="s_out")])
    return teacher, student


T_OUT = np.array([[2.0, 0.0, -1.0], [0.5, 0.5, 1.0]], dtype="float32")
S_OUT = np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 0.0]], dtype="float32")


def test_logits_distillation_with_kl_object_is_t_squared_kl_of_softmaxes():
    t = 2.0
    p, q = _softmax(T_OUT / t), _softmax(S_OUT / t)
    expected = np.mean(np.sum(p * np.log(p / q), axis=-1)) * t ** 2
    loss = distillation.LogitsDistillation(temperature=t, loss=keras.losses.KLDivergence())
    np.testing.assert_allclose(float(loss.compute_loss(T_OUT, S_OUT)), expected, rtol=1e-5)


def test_logits_distillation_with_other_losses_compares_the_scaled_outputs():
    t = 4.0
    loss = distillation.LogitsDistillation(temperature=t, loss="mse")
    np.testing.assert_allclose(float(loss.compute_loss(T_OUT, S_OUT)), np.mean((T_OUT / t - S_OUT / t) ** 2),
                               rtol=1e-6)
    # the default "kl_divergence" is the function: applied to the scaled outputs, clipped to [eps, 1]
    default = distillation.LogitsDistillation(temperature=t)
    a, b = np.clip(T_OUT / t, 1e-7, 1), np.clip(S_OUT / t, 1e-7, 1)
    np.testing.assert_allclose(float(default.compute_loss(T_OUT, S_OUT)), np.mean(np.sum(a * np.log(a / b), -1)),
                               rtol=1e-5)


def test_nested_losses_skip_none_outputs():
    loss = distillation.LogitsDistillation(temperature=1.0, loss=["mse", None])
    value = loss.compute_loss([T_OUT, T_OUT], [S_OUT, T_OUT * 100])
    np.testing.assert_allclose(float(value), np.mean((T_OUT - S_OUT) ** 2), rtol=1e-6)
    features = distillation.FeatureDistillation(loss=[None, "mae"])
    np.testing.assert_allclose(float(features.compute_loss([T_OUT, T_OUT], [S_OUT, S_OUT])),
                               np.mean(np.abs(T_OUT - S_OUT)), rtol=1e-6)


@pytest.mark.parametrize("kwargs, match", [
    (dict(temperature=0.0), "`temperature` must be positive"),
    (dict(temperature="3"), "`temperature` must be a number"),
    (dict(loss=None), "at least one non-`None`"),
    (dict(loss=[None, None]), "at least one non-`None`"),
])
def test_logits_distillation_errors(kwargs, match):
    with pytest.raises(ValueError, match=match):
        distillation.LogitsDistillation(**kwargs)


def test_unknown_loss_names_and_bad_types_are_refused():
    with pytest.raises(ValueError, match="msee"):
        distillation.FeatureDistillation(loss="msee")
    with pytest.raises(TypeError, match="`loss`"):
        distillation.FeatureDistillation(loss=3)


def test_feature_distillation_checks_layer_names_and_structure():
    teacher, student = _models()
    with pytest.raises(ValueError, match="In teacher model"):
        distillation.FeatureDistillation(teacher_layer_name="nope").validate_model_compatibility(teacher, student)
    with pytest.raises(ValueError, match="Loss structure mismatch"):
        distillation.FeatureDistillation(loss=["mse", "mse"]).validate_outputs(T_OUT, S_OUT)

    class Sub(keras.Model):
        def call(self, x):
            return x

    with pytest.raises(ValueError, match="student model.*subclassed"):
        distillation.FeatureDistillation(student_layer_name="s_hidden").validate_model_compatibility(teacher, Sub())


def test_base_loss_must_be_subclassed():
    with pytest.raises(NotImplementedError, match="compute_loss"):
        distillation.DistillationLoss().compute_loss(T_OUT, S_OUT)


def test_distiller_loss_is_the_weighted_sum():
    teacher, student = _models()
    x = np.random.default_rng(1).normal(size=(6, 4)).astype("float32")
    y = np.array([0, 1, 2, 0, 1, 2])
    losses = [distillation.LogitsDistillation(temperature=2.0, loss="mse"),
              distillation.FeatureDistillation(loss="mae", teacher_layer_name="t_hidden",
                                               student_layer_name="s_hidden")]
    distiller = distillation.Distiller(teacher, student, losses, distillation_loss_weights=[1.0, 0.25],
                                       student_loss_weight=0.4)
    distiller.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    total = float(distiller.compute_loss(x, y, distiller(x, training=True)))
    t_logits, s_logits = np.asarray(teacher(x)), np.asarray(student(x))
    t_hidden = np.maximum(x @ teacher.layers[0].kernel.numpy() + teacher.layers[0].bias.numpy(), 0)
    s_hidden = x @ student.layers[0].kernel.numpy() + student.layers[0].bias.numpy()
    p = _softmax(s_logits)
    student_loss = np.mean(-np.log(p[np.arange(6), y]))
    distill = np.mean((t_logits / 2 - s_logits / 2) ** 2) + 0.25 * np.mean(np.abs(t_hidden - s_hidden))
    np.testing.assert_allclose(total, 0.4 * student_loss + 0.6 * distill, rtol=1e-5)
    np.testing.assert_allclose(float(distiller.student_loss_tracker.result()), student_loss, rtol=1e-5)
    np.testing.assert_allclose(float(distiller.distillation_loss_tracker.result()), distill, rtol=1e-5)


def test_fit_trains_the_student_only_and_logs_the_parts():
    teacher, student = _models()
    x = np.random.default_rng(2).normal(size=(16, 4)).astype("float32")
    y = np.random.default_rng(3).integers(0, 3, 16)
    teacher_before = [w.copy() for w in teacher.get_weights()]
    student_before = [w.copy() for w in student.get_weights()]
    distiller = distillation.Distiller(teacher, student, distillation.LogitsDistillation())
    assert teacher.trainable is False
    assert len(distiller.trainable_weights) == len(student.trainable_weights) == 4
    distiller.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                      metrics=["accuracy"])
    history = distiller.fit(x, y, epochs=2, batch_size=4, verbose=0).history
    assert sorted(history) == ["accuracy", "distillation_loss", "loss", "student_loss", "total_loss"]
    assert all(np.array_equal(a, b) for a, b in zip(teacher.get_weights(), teacher_before))
    assert not all(np.array_equal(a, b) for a, b in zip(student.get_weights(), student_before))
    np.testing.assert_allclose(np.asarray(distiller.predict(x, verbose=0)), np.asarray(student(x)), rtol=1e-6)


def test_student_loss_weight_one_and_zero():
    teacher, student = _models()
    x = np.ones((2, 4), "float32")
    y = np.array([0, 1])
    only_labels = distillation.Distiller(teacher, student, distillation.LogitsDistillation(), student_loss_weight=1)
    only_labels.compile(loss="sparse_categorical_crossentropy")
    expected = float(np.mean(keras.losses.sparse_categorical_crossentropy(y, student(x))))
    np.testing.assert_allclose(float(only_labels.compute_loss(x, y, student(x))), expected, rtol=1e-6)
    assert float(only_labels.distillation_loss_tracker.result()) == 0.0
    only_teacher = distillation.Distiller(teacher, student, distillation.LogitsDistillation(loss="mse"),
                                          student_loss_weight=0.0)
    only_teacher.compile(loss="sparse_categorical_crossentropy")
    same = float(only_teacher.compute_loss(x, y, teacher(x)))
    assert same == 0.0 and float(only_teacher.student_loss_tracker.result()) == 0.0


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(student_loss_weight=1.5), ValueError, "between 0.0 and 1.0"),
    (dict(student_loss_weight="half"), ValueError, "`student_loss_weight` must be a number"),
    (dict(distillation_losses=None), ValueError, "`distillation_losses` cannot be None"),
    (dict(distillation_loss_weights=[1.0, 2.0]), ValueError, r"\(2\) must match .* \(1\)"),
    (dict(distillation_losses=["mse"]), TypeError, "DistillationLoss"),
])
def test_distiller_argument_errors_change_nothing(kwargs, error, match):
    teacher, student = _models()
    arguments = dict(distillation_losses=[distillation.LogitsDistillation()])
    arguments.update(kwargs)
    with pytest.raises(error, match=match):
        distillation.Distiller(teacher, student, **arguments)
    assert teacher.trainable is True  # a refused Distiller froze nothing


def test_incompatible_models_are_refused():
    teacher, _ = _models()
    wide = keras.Sequential([keras.Input((4,)), keras.layers.Dense(7)])
    with pytest.raises(ValueError, match="output shapes are incompatible"):
        distillation.Distiller(teacher, wide, distillation.LogitsDistillation())
    with pytest.raises(ValueError, match="`teacher` must be a keras.Model"):
        distillation.Distiller(keras.layers.Dense(3), wide, distillation.LogitsDistillation())


def test_compile_requires_the_student_loss():
    distiller = distillation.Distiller(*_models(), distillation.LogitsDistillation())
    with pytest.raises(ValueError, match="`loss` of Distiller.compile cannot be None"):
        distiller.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="`metrics` must be a list"):
        distiller.compile(optimizer="sgd", loss="mse", metrics="accuracy")
    assert not distiller.compiled


def test_configs_round_trip_and_save(tmp_path):
    loss = distillation.LogitsDistillation(temperature=5.0, loss="categorical_crossentropy")
    again = distillation.LogitsDistillation.from_config(loss.get_config())
    assert again.temperature == 5.0 and again.get_config() == loss.get_config()
    features = distillation.FeatureDistillation(loss="mae", teacher_layer_name="t_hidden", student_layer_name="s_hidden")
    assert distillation.FeatureDistillation.from_config(features.get_config()).get_config() == features.get_config()
    distiller = distillation.Distiller(*_models(), [loss, features], distillation_loss_weights=[1.0, 0.5],
                                       student_loss_weight=0.2)
    rebuilt = distillation.Distiller.from_config(distiller.get_config())
    assert rebuilt.distillation_loss_weights == [1.0, 0.5] and rebuilt.student_loss_weight == 0.2
    assert rebuilt.teacher.trainable is False
    distiller.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    x = np.ones((4, 4), "float32")
    distiller.fit(x, np.zeros(4), verbose=0)
    path = str(tmp_path / "distiller.keras")
    distiller.save(path)
    loaded = keras.saving.load_model(path, compile=False)
    assert type(loaded) is distillation.Distiller
    np.testing.assert_allclose(loaded.predict(x, verbose=0), distiller.predict(x, verbose=0), rtol=1e-6)
