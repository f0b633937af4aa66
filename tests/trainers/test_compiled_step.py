"""The compiled step equals the tape, bit for bit, for every supported layer, loss, metric and optimizer.

Each case builds the same model twice (same weights), trains one with the tape
(`compile(jit_compile=False)`, the reference path) and one with the compiled step
(the default), over several epochs of shuffled, changing batches with a short last
batch and validation, then compares every weight, optimizer slot, history value,
evaluation and prediction with `assert_array_equal`. The compiled model must really
have run compiled (`model.compiled_step_reason == {}`).
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import layers

# Every test runs twice: numpy optimizer updates, and the `fast` extra's compiled kernels.
pytestmark = pytest.mark.usefixtures("update_path")

FEATURES, CLASSES, SAMPLES = 6, 3, 45


@pytest.fixture(autouse=True)
def _no_tiny_path(monkeypatch):
    # These models are small enough for the tiny-model path (generated scalar code, equal
    # to the tape within 1e-6: tests/trainers/test_tiny_program.py); here the compiled
    # step itself is under test, bit for bit.
    from nanokeras.trainers import tiny_program

    monkeypatch.setattr(tiny_program, "TINY_LIMIT", 0)


def _data(kind, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(SAMPLES, FEATURES)).astype("float32")
    labels = (x[:, :CLASSES] + 0.3 * rng.normal(size=(SAMPLES, CLASSES))).argmax(axis=1)
    if kind == "sparse":
        return x, labels.astype("int32")
    if kind == "onehot":
        return x, np.eye(CLASSES, dtype="float32")[labels]
    if kind == "binary":
        return x, (labels == 0).astype("float32").reshape(-1, 1)
    if kind == "positive":
        return x, np.abs(x[:, :CLASSES] @ rng.normal(size=(CLASSES, CLASSES))).astype("float32") + 0.1
    return x, (x[:, :CLASSES] @ rng.normal(size=(CLASSES, CLASSES))).astype("float32")  # regression


def _train_both(build, compile_kwargs, kind, epochs=3, batch_size=8, fit_kwargs=None):
    x, y = _data(kind)
    val = _data(kind, seed=1)
    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = build()
        model.compile(jit_compile=jit_compile, **compile_kwargs())
        history = model.fit(x, y, batch_size=batch_size, epochs=epochs, validation_data=val, verbose=0,
                            **(fit_kwargs or {}))
        reasons = [model.compiled_step_reason]
        evaluation = model.evaluate(val[0], val[1], batch_size=batch_size, verbose=0, return_dict=True)
        prediction = model.predict(val[0], batch_size=batch_size, verbose=0)
        reasons.append(model.compiled_step_reason)
        results.append((model, history.history, evaluation, prediction, reasons))
    (tape_model, tape_history, tape_eval, tape_pred, tape_reasons), \
        (model, history, evaluation, prediction, reasons) = results
    assert reasons == [{}, {}], reasons
    assert all(tape_reasons)
    for a, b in zip(tape_model.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    for a, b in zip(tape_model.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    _assert_same_logs(history, tape_history)
    _assert_same_logs(evaluation, tape_eval)
    np.testing.assert_array_equal(prediction, tape_pred)


def _assert_same_logs(logs, expected):
    """Equal dicts of numbers or lists of numbers, NaN equal to NaN (a NaN must be NaN on both paths)."""
    assert list(logs) == list(expected)
    for key in expected:
        np.testing.assert_array_equal(logs[key], expected[key], err_msg=key)


def _sequential(*hidden, out_units=CLASSES, out_activation="softmax"):
    def build():
        return keras.Sequential([keras.Input((FEATURES,)), *[make() for make in hidden],
                                 layers.Dense(out_units, activation=out_activation)])
    return build


def _adam_categorical():
    return {"optimizer": keras.optimizers.Adam(0.01), "loss": "categorical_crossentropy", "metrics": ["accuracy"]}


LAYER_CASES = [
    ("dense_linear", lambda: layers.Dense(5)),
    ("dense_relu", lambda: layers.Dense(5, activation="relu")),
    ("dense_sigmoid", lambda: layers.Dense(5, activation="sigmoid")),
    ("dense_tanh", lambda: layers.Dense(5, activation="tanh")),
    ("dense_softmax", lambda: layers.Dense(5, activation="softmax")),
    ("dense_elu", lambda: layers.Dense(5, activation="elu")),
    ("dense_selu", lambda: layers.Dense(5, activation="selu")),
    ("dense_gelu", lambda: layers.Dense(5, activation="gelu")),
    ("dense_softplus", lambda: layers.Dense(5, activation="softplus")),
    ("dense_swish", lambda: layers.Dense(5, activation="swish")),
    ("dense_leaky_relu", lambda: layers.Dense(5, activation="leaky_relu")),
    ("dense_no_bias", lambda: layers.Dense(5, use_bias=False)),
    ("dense_l1l2_regularized", lambda: layers.Dense(5, kernel_regularizer="l1l2", bias_regularizer="l2")),
    ("dense_activity_regularized", lambda: layers.Dense(5, activity_regularizer="l2")),
    ("dense_max_norm_constraint", lambda: layers.Dense(5, kernel_constraint="max_norm")),
    ("activation", lambda: layers.Activation("tanh")),
    ("dropout", lambda: layers.Dropout(0.3)),
    ("dropout_noise_shape", lambda: layers.Dropout(0.3, noise_shape=(None, 1))),
    ("gaussian_noise", lambda: layers.GaussianNoise(0.2)),
    ("gaussian_dropout", lambda: layers.GaussianDropout(0.2)),
    ("alpha_dropout", lambda: layers.AlphaDropout(0.2)),
    ("activity_regularization", lambda: layers.ActivityRegularization(l1=0.01, l2=0.01)),
    ("batch_normalization", lambda: layers.BatchNormalization()),
    ("layer_normalization", lambda: layers.LayerNormalization()),
    ("unit_normalization", lambda: layers.UnitNormalization()),
    ("rescaling", lambda: layers.Rescaling(0.5, offset=0.1)),
    ("normalization_adapted", lambda: _adapted(layers.Normalization())),
    ("discretization_then_dense", lambda: keras.Sequential([
        layers.Discretization(bin_boundaries=[-0.5, 0.0, 0.5]), layers.Dense(4)])),
    ("reshape_flatten", lambda: keras.Sequential([layers.Reshape((2, 3)), layers.Flatten()])),
    ("permute", lambda: keras.Sequential([layers.Reshape((2, 3)), layers.Permute((2, 1)), layers.Flatten()])),
    ("repeat_vector", lambda: keras.Sequential([layers.RepeatVector(2), layers.Flatten()])),
    ("nested_sequential", lambda: keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(4)])),
    # Issue 13's layers and activations.
    ("relu_layer", lambda: layers.ReLU(max_value=1.5, negative_slope=0.1, threshold=0.2)),
    ("softmax_layer", lambda: layers.Softmax()),
    ("softmax_two_axes", lambda: keras.Sequential([layers.Reshape((2, 3)), layers.Softmax(axis=[1, 2]),
                                                   layers.Flatten()])),
    ("leaky_relu_layer", lambda: layers.LeakyReLU(0.2)),
    ("prelu", lambda: layers.PReLU(alpha_initializer=keras.initializers.Constant(0.25))),
    ("elu_layer", lambda: layers.ELU(alpha=0.5)),
    ("identity", lambda: layers.Identity()),
    ("einsum_dense", lambda: layers.EinsumDense("ab,bc->ac", output_shape=4, bias_axes="c", activation="tanh")),
    ("einsum_dense_3d", lambda: keras.Sequential([layers.Reshape((2, 3)), layers.EinsumDense(
        "abc,cd->abd", output_shape=(2, 2)), layers.Flatten()])),
    ("group_normalization", lambda: layers.GroupNormalization(groups=3)),
    ("rms_normalization", lambda: layers.RMSNormalization()),
    ("pipeline", lambda: layers.Pipeline([layers.Rescaling(0.5), layers.Dense(4, activation="relu")])),
    ("dense_new_activations", lambda: keras.Sequential([
        layers.Dense(5, activation="sparse_plus"), layers.Dense(5, activation="squareplus"),
        layers.Dense(5, activation="soft_shrink"), layers.Dense(5, activation="tanh_shrink"),
        layers.Dense(5, activation="hard_shrink"), layers.Dense(5, activation="sparse_sigmoid"),
        layers.Dense(6, activation="sparsemax"), layers.Dense(6, activation="celu"),
        layers.Dense(6, activation="log_sigmoid"), layers.Dense(6, activation="hard_tanh")])),
    # ConvLSTM layers: the FEATURES become (steps, *spatial, channels).
    ("conv_lstm1d", lambda: keras.Sequential([layers.Reshape((3, 2, 1)), layers.ConvLSTM1D(2, 2, padding="same"),
                                              layers.Flatten()])),
    ("conv_lstm2d_dropout_backwards", lambda: keras.Sequential([
        layers.Reshape((2, 3, 1, 1)),
        layers.ConvLSTM2D(3, (2, 1), dropout=0.3, recurrent_dropout=0.2, return_sequences=True, go_backwards=True),
        layers.Flatten()])),
    ("conv_lstm3d_channels_first_unrolled", lambda: keras.Sequential([
        layers.Reshape((3, 1, 2, 1, 1)),
        layers.ConvLSTM3D(2, 1, data_format="channels_first", unroll=True, kernel_regularizer="l2"),
        layers.Flatten()])),
]


def _adapted(layer):
    layer.adapt(np.random.default_rng(5).normal(2.0, 3.0, size=(50, FEATURES)).astype("float32"))
    return layer


@pytest.mark.parametrize("make", [c[1] for c in LAYER_CASES], ids=[c[0] for c in LAYER_CASES])
def test_each_layer(make):
    _train_both(_sequential(make), _adam_categorical, "onehot")


def test_conv_lstm_with_a_mask_computed_in_the_graph():
    def build():
        inputs = keras.Input((FEATURES,))
        steps = layers.Reshape((3, 2, 1))(inputs)
        mask = keras.ops.greater(keras.ops.sum(keras.ops.abs(steps), axis=(2, 3)), 1.0)  # changes with the data
        hidden = layers.ConvLSTM1D(2, 2, padding="same", go_backwards=True)(steps, mask=mask)
        return keras.Model(inputs, layers.Dense(CLASSES, activation="softmax")(layers.Flatten()(hidden)))

    _train_both(build, _adam_categorical, "onehot")


def test_stateful_conv_lstm_carries_the_same_states_on_both_paths():
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=(24, 3, 4, 2)).astype("float32"), rng.normal(size=(24, 2)).astype("float32")
    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(7)
        model = keras.Sequential([keras.Input((3, 4, 2), batch_size=6),
                                  layers.ConvLSTM1D(2, 3, stateful=True, recurrent_dropout=0.2),
                                  layers.Flatten(), layers.Dense(2)])
        model.compile(keras.optimizers.Adam(0.01), "mse", jit_compile=jit_compile)
        model.fit(x, y, batch_size=6, epochs=2, shuffle=False, verbose=0)
        results.append((model, model.compiled_step_reason))
    (tape_model, _), (model, reason) = results
    assert reason == {}, reason
    for a, b in zip(tape_model.weights + tape_model.layers[0].states, model.weights + model.layers[0].states):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert np.abs(model.layers[0].states[0].numpy()).sum() > 0


def _functional(merge):
    def build():
        a = keras.Input((FEATURES,))
        h1 = layers.Dense(4, activation="relu")(a)
        h2 = layers.Dense(4, activation="tanh")(a)
        merged = merge()([h1, h2])
        return keras.Model(a, layers.Dense(CLASSES, activation="softmax")(merged))
    return build


MERGE_CASES = [
    ("add", layers.Add), ("subtract", layers.Subtract), ("multiply", layers.Multiply),
    ("average", layers.Average), ("maximum", layers.Maximum), ("minimum", layers.Minimum),
    ("concatenate", layers.Concatenate), ("dot", lambda: layers.Dot(axes=1)),
]


@pytest.mark.parametrize("merge", [c[1] for c in MERGE_CASES], ids=[c[0] for c in MERGE_CASES])
def test_each_merge_layer_in_a_functional_model(merge):
    _train_both(_functional(merge), _adam_categorical, "onehot")


def test_functional_graph_with_ops_shared_layer_and_two_outputs():
    def build():
        a = keras.Input((FEATURES,), name="a")
        shared = layers.Dense(4, activation="relu")
        h = keras.ops.concatenate([shared(a), shared(a * 2.0)], axis=-1)
        return keras.Model(a, {"cls": layers.Dense(CLASSES, activation="softmax", name="cls")(h),
                               "reg": layers.Dense(1, name="reg")(h)})

    x, y = _data("onehot")
    val_x, val_y = _data("onehot", seed=1)
    reg, val_reg = x[:, :1] * 2, val_x[:, :1] * 2
    results = []
    for jit_compile in (False, "auto"):
        keras.backend.clear_session()
        keras.utils.set_random_seed(3)
        model = build()
        model.compile(keras.optimizers.RMSprop(0.01), loss={"cls": "categorical_crossentropy", "reg": "mse"},
                      loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"], "reg": ["mae"]},
                      jit_compile=jit_compile)
        history = model.fit(x, {"cls": y, "reg": reg}, batch_size=8, epochs=2, verbose=0,
                            validation_data=(val_x, {"cls": val_y, "reg": val_reg}))
        results.append((model, history.history, model.compiled_step_reason))
    (tape_model, tape_history, _), (model, history, reason) = results
    assert reason == {}, reason
    _assert_same_logs(history, tape_history)
    for a, b in zip(tape_model.weights, model.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


LOSS_CASES = [
    ("categorical_crossentropy", "onehot", "softmax", CLASSES, {}),
    ("categorical_crossentropy_logits", "onehot", None, CLASSES,
     {"loss": lambda: keras.losses.CategoricalCrossentropy(from_logits=True)}),
    ("categorical_crossentropy_label_smoothing", "onehot", "softmax", CLASSES,
     {"loss": lambda: keras.losses.CategoricalCrossentropy(label_smoothing=0.1)}),
    ("sparse_categorical_crossentropy", "sparse", "softmax", CLASSES, {}),
    ("sparse_categorical_crossentropy_logits", "sparse", None, CLASSES,
     {"loss": lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=True)}),
    ("binary_crossentropy", "binary", "sigmoid", 1, {}),
    ("binary_crossentropy_logits", "binary", None, 1,
     {"loss": lambda: keras.losses.BinaryCrossentropy(from_logits=True)}),
    ("binary_focal_crossentropy", "binary", "sigmoid", 1, {}),
    ("mean_squared_error", "regression", None, CLASSES, {}),
    ("mean_absolute_error", "regression", None, CLASSES, {}),
    ("mean_absolute_percentage_error", "positive", "softplus", CLASSES, {}),
    ("mean_squared_logarithmic_error", "positive", "softplus", CLASSES, {}),
    ("huber", "regression", None, CLASSES, {}),
    ("log_cosh", "regression", None, CLASSES, {}),
    ("hinge", "binary", "tanh", 1, {}),
    ("squared_hinge", "binary", "tanh", 1, {}),
    ("categorical_hinge", "onehot", "softmax", CLASSES, {}),
    ("kl_divergence", "onehot", "softmax", CLASSES, {}),
    ("poisson", "positive", "softplus", CLASSES, {}),
    ("cosine_similarity", "regression", None, CLASSES, {}),
    ("mse_sum_reduction", "regression", None, CLASSES,
     {"loss": lambda: keras.losses.MeanSquaredError(reduction="sum")}),
    # Issue 13's losses.
    ("dice", "binary", "sigmoid", 1, {}),
    ("dice_per_sample", "onehot", "softmax", CLASSES, {"loss": lambda: keras.losses.Dice(axis=-1)}),
    ("tversky", "binary", "sigmoid", 1, {"loss": lambda: keras.losses.Tversky(alpha=0.3, beta=0.7)}),
    ("categorical_focal_crossentropy", "onehot", "softmax", CLASSES, {}),
    ("categorical_focal_crossentropy_logits", "onehot", None, CLASSES,
     {"loss": lambda: keras.losses.CategoricalFocalCrossentropy(from_logits=True, label_smoothing=0.1)}),
    ("categorical_generalized_cross_entropy", "sparse", "softmax", CLASSES,
     {"loss": lambda: keras.losses.CategoricalGeneralizedCrossEntropy(q=0.7)}),
]


@pytest.mark.parametrize("name,kind,activation,units,extra", [c for c in LOSS_CASES], ids=[c[0] for c in LOSS_CASES])
def test_each_loss(name, kind, activation, units, extra):
    def compile_kwargs():
        loss = extra["loss"]() if "loss" in extra else name
        return {"optimizer": keras.optimizers.SGD(0.05, momentum=0.5), "loss": loss}

    _train_both(_sequential(lambda: layers.Dense(5, activation="relu"), out_units=units, out_activation=activation),
                compile_kwargs, kind)


def test_sample_and_class_weights():
    x, y = _data("sparse")
    weights = np.linspace(0.2, 2.0, SAMPLES).astype("float32")
    _train_both(_sequential(lambda: layers.Dense(5, activation="relu")),
                lambda: {"optimizer": "adam", "loss": "sparse_categorical_crossentropy",
                         "weighted_metrics": ["accuracy"]},
                "sparse", fit_kwargs={"sample_weight": weights})
    _train_both(_sequential(lambda: layers.Dense(5, activation="relu")),
                lambda: {"optimizer": "adam", "loss": "sparse_categorical_crossentropy"},
                "sparse", fit_kwargs={"class_weight": {0: 1.0, 1: 2.0, 2: 0.5}})


OPTIMIZER_CASES = [
    ("sgd", lambda: keras.optimizers.SGD(0.1)),
    ("sgd_nesterov", lambda: keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True)),
    ("adam", lambda: keras.optimizers.Adam(0.01)),
    ("adam_amsgrad", lambda: keras.optimizers.Adam(0.01, amsgrad=True)),
    ("adamw", lambda: keras.optimizers.AdamW(0.01)),
    ("rmsprop_centered", lambda: keras.optimizers.RMSprop(0.01, centered=True, momentum=0.3)),
    ("adagrad", lambda: keras.optimizers.Adagrad(0.1)),
    ("adadelta", lambda: keras.optimizers.Adadelta(1.0)),
    ("adamax", lambda: keras.optimizers.Adamax(0.01)),
    ("nadam", lambda: keras.optimizers.Nadam(0.01)),
    ("ftrl", lambda: keras.optimizers.Ftrl(0.1)),
    ("lion", lambda: keras.optimizers.Lion(0.001)),
    ("adam_clipnorm_ema", lambda: keras.optimizers.Adam(0.01, clipnorm=0.5, use_ema=True)),
    ("sgd_schedule", lambda: keras.optimizers.SGD(keras.optimizers.schedules.ExponentialDecay(0.1, 3, 0.5))),
    # Issue 13's optimizers, and loss scaling (the scaled loss is differentiated).
    ("lamb", lambda: keras.optimizers.Lamb(0.01)),
    ("adafactor", lambda: keras.optimizers.Adafactor()),
    ("muon", lambda: keras.optimizers.Muon(0.01)),
    ("schedule_free_adamw", lambda: keras.optimizers.ScheduleFreeAdamW(0.01, warmup_steps=2)),
    ("loss_scale_optimizer", lambda: keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(0.01),
                                                                        dynamic_growth_steps=3)),
    ("sgd_loss_scale_factor", lambda: keras.optimizers.SGD(0.1, loss_scale_factor=16.0)),
    ("multi_optimizer", lambda: keras.optimizers.MultiOptimizer(keras.optimizers.OptimizerMap(
        keras.optimizers.SGD(0.1, momentum=0.5), {".*bias": keras.optimizers.Adam(0.01)}))),
]


@pytest.mark.parametrize("make", [c[1] for c in OPTIMIZER_CASES], ids=[c[0] for c in OPTIMIZER_CASES])
def test_each_optimizer(make):
    _train_both(_sequential(lambda: layers.Dense(5, activation="relu")),
                lambda: {"optimizer": make(), "loss": "sparse_categorical_crossentropy", "metrics": ["acc"]},
                "sparse")


def test_metrics():
    _train_both(_sequential(lambda: layers.Dense(5, activation="relu"), out_units=1, out_activation="sigmoid"),
                lambda: {"optimizer": "rmsprop", "loss": "binary_crossentropy",
                         "metrics": ["acc", "auc", "precision", "recall", "mse", "binary_crossentropy",
                                     keras.metrics.TruePositives()]},
                "binary")


def test_reduce_lr_on_plateau_and_a_callback_reading_batch_logs():
    seen = []
    callbacks = lambda: [keras.callbacks.ReduceLROnPlateau(monitor="loss", patience=0, factor=0.5),  # noqa: E731
                         keras.callbacks.LambdaCallback(on_train_batch_end=lambda b, logs: seen.append(logs["loss"]))]
    _train_both(_sequential(lambda: layers.Dense(5, activation="relu")), _adam_categorical, "onehot",
                fit_kwargs={"callbacks": callbacks()})
    half = len(seen) // 2
    assert seen[:half] == seen[half:]  # tape run, then compiled run: the same batch logs


def test_changing_an_activation_after_fit_takes_effect():
    x, y = _data("onehot")
    keras.utils.set_random_seed(1)
    model = _sequential(lambda: layers.Dense(5, activation="relu"))()
    model.compile(**_adam_categorical())
    model.fit(x, y, epochs=1, verbose=0)
    before = model.predict(x, verbose=0)
    model.layers[0].activation = keras.activations.linear
    after = model.predict(x, verbose=0)
    model.compile(jit_compile=False, **_adam_categorical())
    np.testing.assert_array_equal(after, model.predict(x, verbose=0))
    assert not np.array_equal(before, after)


def test_category_encoding_input_model():
    def build():
        ids = keras.Input((2,), dtype="int32")
        encoded = layers.CategoryEncoding(num_tokens=5, output_mode="multi_hot")(ids)
        return keras.Model(ids, layers.Dense(CLASSES, activation="softmax")(encoded))

    rng = np.random.default_rng(0)
    x = rng.integers(0, 5, size=(SAMPLES, 2)).astype("int32")
    y = np.eye(CLASSES, dtype="float32")[rng.integers(0, CLASSES, size=SAMPLES)]
    results = []
    for jit_compile in (False, "auto"):
        keras.utils.set_random_seed(2)
        model = build()
        model.compile(jit_compile=jit_compile, **_adam_categorical())
        history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
        results.append((model, history.history, model.compiled_step_reason))
    assert results[1][2] == {}
    _assert_same_logs(results[1][1], results[0][1])
    for a, b in zip(results[0][0].weights, results[1][0].weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_adapting_again_records_the_step_again():
    x, y = _data("onehot")
    keras.utils.set_random_seed(4)
    norm = _adapted(layers.Normalization())
    model = keras.Sequential([keras.Input((FEATURES,)), norm, layers.Dense(CLASSES, activation="softmax")])
    model.compile(**_adam_categorical())
    model.fit(x, y, epochs=1, verbose=0)
    before = model.predict(x, verbose=0)
    norm.adapt(x * 10.0)
    after = model.predict(x, verbose=0)
    model.compile(jit_compile=False, **_adam_categorical())
    np.testing.assert_array_equal(after, model.predict(x, verbose=0))
    assert not np.array_equal(before, after)


def test_a_custom_layer_runs_on_the_tape_and_says_why():
    class Scale(layers.Layer):
        def build(self, shape):
            self.w = self.add_weight(shape=(shape[-1],), initializer="ones")

        def call(self, x):
            return x * self.w

    x, y = _data("onehot")
    model = keras.Sequential([keras.Input((FEATURES,)), Scale(), layers.Dense(CLASSES, activation="softmax")])
    model.compile(**_adam_categorical())
    model.fit(x, y, epochs=1, verbose=0)
    assert "not marked replayable" in model.compiled_step_reason["train"]


def test_circle_loss_on_normalized_embeddings():
    def build():
        return keras.Sequential([keras.Input((FEATURES,)), layers.Dense(5, activation="tanh"), layers.Dense(4),
                                 layers.UnitNormalization()])

    _train_both(build, lambda: {"optimizer": keras.optimizers.SGD(0.05), "loss": keras.losses.Circle(gamma=8.0)},
                "sparse")
