"""Same starting weights => same training as real Keras 3: loss/metric history and final weights."""

import numpy as np
import pytest

import nanokeras as nk

RTOL = 1e-4


def _data(n, features, classes=None, regression_outputs=None, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype("float32")
    if regression_outputs:
        w = rng.normal(size=(features, regression_outputs)).astype("float32")
        return x, (x @ w + 0.1 * rng.normal(size=(n, regression_outputs))).astype("float32")
    y = (x @ rng.normal(size=(features, classes)).astype("float32")).argmax(axis=1).astype("int32")
    return x, y


def _build_pair(keras, layer_specs, input_dim):
    """The same architecture in real Keras and nanokeras, with Keras's initial weights copied over."""
    keras.backend.clear_session()
    nk.backend.clear_session()
    real = keras.Sequential([keras.Input((input_dim,))] + [keras.layers.Dense(u, activation=a) for u, a in layer_specs])
    ours = nk.Sequential([nk.Input((input_dim,))] + [nk.layers.Dense(u, activation=a) for u, a in layer_specs])
    ours.set_weights(real.get_weights())
    return real, ours


def _assert_same_training(real, ours, real_history, our_history):
    assert list(our_history.history) == list(real_history.history)
    for key, values in real_history.history.items():
        np.testing.assert_allclose(our_history.history[key], values, rtol=RTOL, atol=1e-6, err_msg=key)
    for got, expected in zip(ours.get_weights(), real.get_weights()):
        np.testing.assert_allclose(got, expected, rtol=RTOL, atol=1e-6)


def test_perceptron_sgd_batch_1_with_validation(keras):
    x, y = _data(70, 2, classes=2)
    val_x, val_y = _data(30, 2, classes=2, seed=1)
    real, ours = _build_pair(keras, [(1, "sigmoid")], 2)
    kw = dict(validation_data=(val_x, val_y), epochs=3, batch_size=1, shuffle=False, verbose=0)
    real.compile(optimizer=keras.optimizers.SGD(learning_rate=0.2), loss="binary_crossentropy", metrics=["acc"])
    ours.compile(optimizer=nk.optimizers.SGD(learning_rate=0.2), loss="binary_crossentropy", metrics=["acc"])
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))
    np.testing.assert_allclose(ours.evaluate(val_x, val_y, verbose=0), real.evaluate(val_x, val_y, verbose=0), rtol=RTOL)
    np.testing.assert_allclose(ours.predict(val_x, verbose=0), real.predict(val_x, verbose=0), rtol=RTOL, atol=1e-6)


def test_mlp_adam_categorical_crossentropy(keras):
    x, y = _data(64, 4, classes=3)
    one_hot = np.eye(3, dtype="float32")[y]
    real, ours = _build_pair(keras, [(8, "relu"), (3, "softmax")], 4)
    kw = dict(epochs=3, batch_size=16, shuffle=False, verbose=0, validation_split=0.25)
    real.compile(keras.optimizers.Adam(0.01), "categorical_crossentropy", metrics=["accuracy"])
    ours.compile(nk.optimizers.Adam(0.01), "categorical_crossentropy", metrics=["accuracy"])
    _assert_same_training(real, ours, real.fit(x, one_hot, **kw), ours.fit(x, one_hot, **kw))


def test_rmsprop_sparse_crossentropy_partial_last_batch(keras):
    x, y = _data(50, 3, classes=4)
    real, ours = _build_pair(keras, [(6, "tanh"), (4, "softmax")], 3)
    kw = dict(epochs=3, batch_size=16, shuffle=False, verbose=0)
    real.compile(keras.optimizers.RMSprop(0.01), "sparse_categorical_crossentropy", metrics=["acc"])
    ours.compile(nk.optimizers.RMSprop(0.01), "sparse_categorical_crossentropy", metrics=["acc"])
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))


def test_sgd_nesterov_momentum_mse_with_mae_metric(keras):
    x, y = _data(40, 3, regression_outputs=2)
    real, ours = _build_pair(keras, [(5, "relu"), (2, None)], 3)
    kw = dict(epochs=4, batch_size=8, shuffle=False, verbose=0)
    real.compile(keras.optimizers.SGD(0.05, momentum=0.9, nesterov=True), "mse", metrics=["mae"])
    ours.compile(nk.optimizers.SGD(0.05, momentum=0.9, nesterov=True), "mse", metrics=["mae"])
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))


def test_logits_sparse_crossentropy_from_logits_adamw(keras):
    x, y = _data(48, 5, classes=3)
    real, ours = _build_pair(keras, [(7, "relu"), (3, None)], 5)
    kw = dict(epochs=3, batch_size=12, shuffle=False, verbose=0)
    real.compile(keras.optimizers.AdamW(0.01), keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                 metrics=["accuracy"])
    ours.compile(nk.optimizers.AdamW(0.01), nk.losses.SparseCategoricalCrossentropy(from_logits=True),
                 metrics=["accuracy"])
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))


@pytest.mark.parametrize("weighting", ["sample_weight", "class_weight"])
def test_sample_weight_and_class_weight(keras, weighting):
    x, y = _data(32, 2, classes=2)
    options = {"sample_weight": np.linspace(0.5, 2.0, 32).astype("float32"), "class_weight": {0: 1.0, 1: 3.0}}
    real, ours = _build_pair(keras, [(1, "sigmoid")], 2)
    kw = dict(epochs=2, batch_size=8, shuffle=False, verbose=0)
    kw[weighting] = options[weighting]
    real.compile(keras.optimizers.SGD(0.1), "binary_crossentropy", metrics=["acc"])
    ours.compile(nk.optimizers.SGD(0.1), "binary_crossentropy", metrics=["acc"])
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))


def test_keras2_positional_compile_trains_like_keras3_keywords(keras):
    x, y = _data(40, 2, classes=2)
    one_hot = np.eye(2, dtype="float32")[y]
    real, ours = _build_pair(keras, [(5, "relu"), (2, "softmax")], 2)
    kw = dict(epochs=2, batch_size=1, shuffle=False, verbose=0)
    real.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy", metrics=["acc"])
    ours.compile(nk.optimizers.Adam(0.01), "categorical_crossentropy", ["acc"])  # Keras 2 order
    _assert_same_training(real, ours, real.fit(x, one_hot, **kw), ours.fit(x, one_hot, **kw))


@pytest.mark.parametrize("activation", ["sigmoid", "relu", "tanh", "softmax", "elu", "selu", "softplus", "gelu", "silu", None])
def test_dense_outputs_and_gradients_match(keras, activation):
    import jax
    import jax.numpy as jnp

    x, _ = _data(6, 4, classes=2)
    real, ours = _build_pair(keras, [(3, activation)], 4)
    np.testing.assert_allclose(ours.predict(x, verbose=0), np.asarray(real(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours(x), np.asarray(real(x)), rtol=1e-5, atol=1e-6)
    # Gradients of sum(output * g) with respect to the kernel, the bias and the input.
    g = np.random.default_rng(5).normal(size=(6, 3)).astype("float32")

    def their_objective(weights, inputs):
        outputs, _ = real.stateless_call(weights, [], inputs)
        return jnp.sum(outputs * g)

    their_weights, their_input = jax.grad(their_objective, argnums=(0, 1))(
        [v.value for v in real.trainable_variables], jnp.asarray(x))
    inputs = nk.Variable(x)
    with nk.GradientTape() as tape:
        objective = nk.ops.sum(ours(inputs) * g)
    *our_weights, our_input = tape.gradient(objective, ours.trainable_variables + [inputs])
    for got, expected in zip(our_weights + [our_input], list(their_weights) + [their_input]):
        np.testing.assert_allclose(np.asarray(got), np.asarray(expected), rtol=1e-5, atol=1e-6)


def test_summary_text_matches_keras(keras):
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        model = lib.Sequential([lib.Input((2,)), lib.layers.Dense(1000), lib.layers.Dense(1, activation="sigmoid")])
        captured = []
        model.summary(line_length=76, print_fn=lambda s, **kwargs: captured.append(s))
        texts.append("".join(captured))
    assert texts[1] == texts[0]


def test_unbuilt_summary_matches_keras(keras):
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        model = lib.Sequential([lib.layers.Dense(5, activation="relu"), lib.layers.Dense(2)])
        captured = []
        model.summary(line_length=60, print_fn=lambda s, **kwargs: captured.append(s))
        texts.append("".join(captured))
    assert texts[1] == texts[0]


def _nested_models(lib):
    inner = lib.Sequential([lib.Input((4,)), lib.layers.Dense(3, name="d_in"), lib.layers.Dropout(0.1, name="drop")],
                           name="inner")
    a, b = lib.Input((4,), name="a"), lib.Input((4,), name="b")
    merged = lib.layers.Add(name="add")([inner(a), inner(b)])
    sub_in = lib.Input((3,))
    sub = lib.Model(sub_in, lib.layers.Dense(2, name="sd")(sub_in), name="sub")
    sub.trainable = False
    graph = lib.Model([a, b], sub(merged), name="graph")
    chain_in = lib.Input((4,))
    chain = lib.Model(chain_in, sub(inner(chain_in)), name="chain")
    stack = lib.Sequential([lib.Input((4,)), inner, lib.layers.Dense(2, name="head")], name="stack")
    return graph, chain, stack


@pytest.mark.parametrize("options", [dict(show_trainable=True), dict(expand_nested=True),
                                     dict(show_trainable=True, expand_nested=True),
                                     dict(show_trainable=True, expand_nested=True, line_length=76)])
def test_nested_and_trainable_summaries_match_keras(keras, options):
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        captured = []
        for model in _nested_models(lib):
            model.summary(print_fn=lambda s, **kwargs: captured.append(s), **options)
        texts.append("".join(captured))
    assert texts[1] == texts[0]


def _two_output_pair(keras):
    models = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        a = lib.Input((3,), name="a")
        b = lib.Input((2,), name="b")
        hidden = lib.layers.Dense(5, activation="relu")(a)
        merged = lib.layers.Concatenate()([hidden, b])
        cls = lib.layers.Dense(3, activation="softmax", name="cls")(merged)
        reg = lib.layers.Dense(1, name="reg")(merged)
        models.append(lib.Model([a, b], [cls, reg]))
    real, ours = models
    ours.set_weights(real.get_weights())
    return real, ours


def test_multi_input_multi_output_with_loss_weights(keras):
    rng = np.random.default_rng(3)
    xa, xb = rng.normal(size=(40, 3)).astype("float32"), rng.normal(size=(40, 2)).astype("float32")
    y_cls, y_reg = rng.integers(0, 3, 40), rng.normal(size=(40, 1)).astype("float32")
    real, ours = _two_output_pair(keras)
    compile_kw = dict(loss={"cls": "sparse_categorical_crossentropy", "reg": "mse"},
                      loss_weights={"cls": 1.0, "reg": 0.5}, metrics={"cls": ["accuracy"], "reg": ["mae"]})
    real.compile(keras.optimizers.Adam(0.01), **compile_kw)
    ours.compile(nk.optimizers.Adam(0.01), **compile_kw)
    kw = dict(epochs=3, batch_size=8, shuffle=False, verbose=0, validation_split=0.25)
    _assert_same_training(real, ours, real.fit([xa, xb], {"cls": y_cls, "reg": y_reg}, **kw),
                          ours.fit([xa, xb], {"cls": y_cls, "reg": y_reg}, **kw))
    np.testing.assert_allclose(ours.evaluate([xa, xb], [y_cls, y_reg], verbose=0),
                               real.evaluate([xa, xb], [y_cls, y_reg], verbose=0), rtol=RTOL)


def test_one_loss_for_two_outputs_is_broadcast(keras):
    rng = np.random.default_rng(5)
    xa, xb = rng.normal(size=(24, 3)).astype("float32"), rng.normal(size=(24, 2)).astype("float32")
    y_cls, y_reg = rng.random((24, 3)).astype("float32"), rng.normal(size=(24, 1)).astype("float32")
    real, ours = _two_output_pair(keras)
    assert ours.output_names == real.output_names
    real.compile(keras.optimizers.SGD(0.05), loss="mse")
    ours.compile(nk.optimizers.SGD(0.05), loss="mse")
    kw = dict(epochs=2, batch_size=8, shuffle=False, verbose=0)
    _assert_same_training(real, ours, real.fit([xa, xb], [y_cls, y_reg], **kw), ours.fit([xa, xb], [y_cls, y_reg], **kw))


def test_shared_layer_training(keras):
    rng = np.random.default_rng(4)
    x1, x2 = rng.normal(size=(24, 4)).astype("float32"), rng.normal(size=(24, 4)).astype("float32")
    y = rng.normal(size=(24, 1)).astype("float32")
    models = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        a, b = lib.Input((4,)), lib.Input((4,))
        shared = lib.layers.Dense(3, activation="tanh")
        out = lib.layers.Dense(1)(lib.layers.Add()([shared(a), shared(b)]))
        models.append(lib.Model([a, b], out))
    real, ours = models
    ours.set_weights(real.get_weights())
    real.compile(keras.optimizers.SGD(0.05), "mse")
    ours.compile(nk.optimizers.SGD(0.05), "mse")
    kw = dict(epochs=3, batch_size=6, shuffle=False, verbose=0)
    _assert_same_training(real, ours, real.fit([x1, x2], y, **kw), ours.fit([x1, x2], y, **kw))


def test_validation_batches_as_keras_with_a_sum_reduction(keras):
    # With reduction="sum" a batch's loss depends on how the samples are batched: validation
    # must use `batch_size` (as Keras does) unless `validation_batch_size` is given.
    x, y = _data(40, 3, regression_outputs=1)
    val_x, val_y = _data(30, 3, regression_outputs=1, seed=2)
    real, ours = _build_pair(keras, [(1, None)], 3)
    for batch_kw in ({}, {"validation_batch_size": 7}):
        kw = dict(validation_data=(val_x, val_y), epochs=2, batch_size=1, shuffle=False, verbose=0, **batch_kw)
        real.compile(keras.optimizers.SGD(0.01), keras.losses.MeanSquaredError(reduction="sum"))
        ours.compile(nk.optimizers.SGD(0.01), nk.losses.MeanSquaredError(reduction="sum"))
        _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))


def test_compiling_again_keeps_the_loss_and_metrics_it_is_not_given(keras):
    x, y = _data(20, 3, classes=2)
    real, ours = _build_pair(keras, [(1, "sigmoid")], 3)
    for model, lib in ((real, keras), (ours, nk)):
        model.compile("sgd", "binary_crossentropy", metrics=["accuracy"])
        model.compile(optimizer=lib.optimizers.Adam(0.01))
    np.testing.assert_allclose(ours.evaluate(x, y, verbose=0), real.evaluate(x, y, verbose=0), rtol=RTOL)
    kw = dict(epochs=2, batch_size=5, shuffle=False, verbose=0)
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))


def test_metrics_with_the_same_name_log_under_keras_keys(keras):
    """`metrics=['accuracy'], weighted_metrics=['accuracy']` logs `accuracy` and `weighted_accuracy`;
    repeats get `_1`, `_2`: the same keys and values as Keras, one output or several."""
    x, y = _data(40, 4, classes=2)
    weights = np.where(y == 1, 3.0, 1.0).astype("float32")
    real, ours = _build_pair(keras, [(2, "softmax")], 4)
    for lib, model in ((keras, real), (nk, ours)):
        model.compile(lib.optimizers.SGD(0.1), "sparse_categorical_crossentropy",
                      metrics=["accuracy", "accuracy", lib.metrics.SparseCategoricalAccuracy(name="accuracy")],
                      weighted_metrics=["accuracy", "accuracy"])
    kw = dict(epochs=2, batch_size=8, shuffle=False, verbose=0, sample_weight=weights, validation_data=(x, y, weights))
    _assert_same_training(real, ours, real.fit(x, y, **kw), ours.fit(x, y, **kw))
    assert "weighted_accuracy_1" in ours.evaluate(x, y, verbose=0, return_dict=True)
    rng = np.random.default_rng(3)
    xa, xb = rng.normal(size=(40, 3)).astype("float32"), rng.normal(size=(40, 2)).astype("float32")
    y_cls, y_reg = rng.integers(0, 3, 40), rng.normal(size=(40, 1)).astype("float32")
    real, ours = _two_output_pair(keras)
    compile_kw = dict(loss=["sparse_categorical_crossentropy", "mse"], metrics=[["accuracy", "accuracy"], ["mae"]],
                      weighted_metrics=[["accuracy"], ["mae"]])
    real.compile(keras.optimizers.Adam(0.01), **compile_kw)
    ours.compile(nk.optimizers.Adam(0.01), **compile_kw)
    kw = dict(epochs=2, batch_size=8, shuffle=False, verbose=0)
    _assert_same_training(real, ours, real.fit([xa, xb], [y_cls, y_reg], **kw), ours.fit([xa, xb], [y_cls, y_reg], **kw))
    assert ours.evaluate([xa, xb], [y_cls, y_reg], verbose=0, return_dict=True) == pytest.approx(
        real.evaluate([xa, xb], [y_cls, y_reg], verbose=0, return_dict=True), rel=1e-5)

