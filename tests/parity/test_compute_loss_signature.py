"""keras.io's knowledge distillation `compute_loss` (no `training` argument), side by side with Keras 3."""

import numpy as np

import nanokeras as nk


def _distiller(lib):
    ops = lib.ops

    class Distiller(lib.Model):
        def __init__(self, student, teacher):
            super().__init__()
            self.student, self.teacher = student, teacher

        def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
            teacher_pred = self.teacher(x, training=False)
            student_loss = lib.losses.sparse_categorical_crossentropy(y, y_pred, from_logits=True)
            distillation = lib.losses.KLDivergence()(ops.softmax(teacher_pred / 3, axis=1),
                                                      ops.softmax(y_pred / 3, axis=1)) * 9
            return 0.1 * ops.mean(student_loss) + 0.9 * distillation

        def call(self, x):
            return self.student(x)

    def dense():
        return lib.Sequential([lib.Input((4,)), lib.layers.Dense(3)])

    return Distiller(dense(), dense())


def test_distiller_compute_loss_without_training(keras):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(16, 4)).astype("float32")
    y = rng.integers(0, 3, 16)
    theirs, ours = _distiller(keras), _distiller(nk)
    ours.set_weights(theirs.get_weights())
    results = []
    for model, lib in ((theirs, keras), (ours, nk)):
        model.compile(optimizer=lib.optimizers.Adam(0.01), metrics=[lib.metrics.SparseCategoricalAccuracy()])
        history = model.fit(x, y, epochs=2, batch_size=8, verbose=0, shuffle=False)
        results.append((history.history, model.evaluate(x, y, verbose=0, return_dict=True)))
    (h_theirs, e_theirs), (h_ours, e_ours) = results
    assert sorted(h_ours) == sorted(h_theirs) and sorted(e_ours) == sorted(e_theirs)
    for key in h_theirs:
        np.testing.assert_allclose(h_ours[key], h_theirs[key], rtol=1e-5, atol=1e-6)
    for key in e_theirs:
        np.testing.assert_allclose(e_ours[key], e_theirs[key], rtol=1e-5, atol=1e-6)
