"""`keras.distillation`: same weights give real Keras's losses, histories and trained students."""

import numpy as np
import pytest

import nanokeras as nk


def _data(seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(20, 4)).astype("float32"), rng.integers(0, 3, 20)


def _models(lib, real=None):
    teacher = lib.Sequential([lib.Input((4,)), lib.layers.Dense(5, activation="relu", name="t_hidden"),
                              lib.layers.Dense(3, name="t_out")])
    student = lib.Sequential([lib.Input((4,)), lib.layers.Dense(5, activation="tanh", name="s_hidden"),
                              lib.layers.Dense(3, name="s_out")])
    if real is not None:
        teacher.set_weights(real[0].get_weights())
        student.set_weights(real[1].get_weights())
    return teacher, student


LOSSES = {
    "logits_default": lambda lib: [lib.distillation.LogitsDistillation(temperature=2.0)],
    "logits_kl_object": lambda lib: [lib.distillation.LogitsDistillation(temperature=4.0,
                                                                        loss=lib.losses.KLDivergence())],
    "logits_and_features": lambda lib: [
        lib.distillation.LogitsDistillation(temperature=3.0, loss="categorical_crossentropy"),
        lib.distillation.FeatureDistillation(loss="mse", teacher_layer_name="t_hidden",
                                             student_layer_name="s_hidden")],
}


@pytest.mark.parametrize("case", sorted(LOSSES))
def test_fit_history_and_student_match_keras(keras, case):
    x, y = _data()
    results = []
    real_models = _models(keras)
    for lib, models in ((keras, real_models), (nk, _models(nk, real_models))):
        weights = [1.0, 0.5] if case == "logits_and_features" else None
        distiller = lib.distillation.Distiller(models[0], models[1], LOSSES[case](lib),
                                               distillation_loss_weights=weights, student_loss_weight=0.3)
        distiller.compile(optimizer=lib.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy",
                          metrics=["accuracy"])
        history = distiller.fit(x, y, epochs=3, batch_size=8, shuffle=False, verbose=0).history
        evaluation = distiller.evaluate(x, y, batch_size=8, verbose=0, return_dict=True)
        results.append((history, evaluation, distiller.student.get_weights(), distiller.teacher.get_weights(),
                        len(distiller.trainable_weights)))
    (r_hist, r_eval, r_student, r_teacher, r_count), (o_hist, o_eval, o_student, o_teacher, o_count) = results
    assert sorted(o_hist) == sorted(r_hist)
    for key in r_hist:
        np.testing.assert_allclose(o_hist[key], r_hist[key], rtol=1e-5, atol=1e-6, err_msg=key)
    for key in r_eval:
        np.testing.assert_allclose(o_eval[key], r_eval[key], rtol=1e-5, atol=1e-6, err_msg=key)
    for a, b in zip(o_student, r_student):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    for a, b in zip(o_teacher, r_teacher):
        np.testing.assert_array_equal(a, b)  # the teacher is frozen in both
    assert o_count == r_count == 4


@pytest.mark.parametrize("case", sorted(LOSSES))
def test_distillation_loss_values_match_keras(keras, case):
    rng = np.random.default_rng(7)
    teacher_out = rng.normal(size=(6, 3)).astype("float32")
    student_out = rng.normal(size=(6, 3)).astype("float32")
    for r_loss, o_loss in zip(LOSSES[case](keras), LOSSES[case](nk)):
        expected = float(np.asarray(r_loss.compute_loss(teacher_out, student_out)))
        np.testing.assert_allclose(float(np.asarray(o_loss.compute_loss(teacher_out, student_out))), expected,
                                   rtol=1e-5)


@pytest.mark.parametrize("case", sorted(LOSSES))
def test_loss_configs_match_keras(keras, case):
    for r_loss, o_loss in zip(LOSSES[case](keras), LOSSES[case](nk)):
        assert o_loss.get_config() == r_loss.get_config()


def test_distiller_config_keys_and_values_match_keras(keras):
    configs = []
    real_models = _models(keras)
    for lib, models in ((keras, real_models), (nk, _models(nk, real_models))):
        distiller = lib.distillation.Distiller(models[0], models[1], LOSSES["logits_default"](lib),
                                               student_loss_weight=0.25)
        configs.append(distiller.get_config())
    real, ours = configs
    assert sorted(ours) == sorted(real)
    for key in ("name", "trainable", "distillation_loss_weights", "student_loss_weight"):
        assert ours[key] == real[key]
    assert ours["distillation_losses"] == real["distillation_losses"]  # module "keras.distillation" too
