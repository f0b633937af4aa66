"""Keras 2's backend functions (`nanokeras.keras2_backend`, what Keras 2 code calls `K`): closed-form
values, gradients through a tape, symbolic tensors, a Keras 2 VAE, the note and strict mode.

Values against real Keras 2 for every function: tests/parity/test_keras2_backend.py.
"""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import keras2_backend as K
from nanokeras.utils import keras2_notes
from tests.ops.gradient_check import check_gradients
from tests.utils.keras2_helpers import fresh_notes, recorded_notes, strict_keras3  # noqa: F401

RNG = np.random.default_rng(5)


# ----------------------------------------------------------- closed forms
def test_reductions_and_elementwise_math():
    x = np.array([[1.0, -4.0], [9.0, 0.0]], "float32")
    assert K.mean(K.square(x)).item() == pytest.approx((1 + 16 + 81) / 4)
    assert K.sum(x, axis=0).tolist() == [10.0, -4.0]
    assert K.sqrt(x).tolist() == [[1.0, 0.0], [3.0, 0.0]]  # negative values count as 0
    assert K.clip(x, None, 2.0).tolist() == [[1.0, -4.0], [2.0, 0.0]]
    assert K.clip(x, 1.0, 0.0).tolist() == [[1.0, 1.0], [1.0, 1.0]]  # max below min counts as min
    assert K.mean(np.array([True, False, True, True])).item() == 0.75
    assert K.mean(np.array([1, 2], "int32")).dtype == np.int32  # integers divided as integers
    assert K.argmax(x).dtype == np.int64 and K.argmax(x).tolist() == [0, 0]
    assert K.cumsum(x).tolist() == [[1.0, -4.0], [10.0, -4.0]]  # axis 0 by default
    assert K.round(np.array([0.5, 1.5, 2.5])).tolist() == [0.0, 2.0, 2.0]
    assert "epsilon" not in K.KERAS2_NAMES and "floatx" not in K.KERAS2_NAMES


def test_activations_with_keras2_arguments():
    x = np.array([-3.0, -1.0, 0.5, 2.0, 8.0], "float32")
    assert K.relu(x, alpha=0.1).tolist() == pytest.approx([-0.3, -0.1, 0.5, 2.0, 8.0])
    assert K.relu(x, max_value=6.0).tolist() == [0.0, 0.0, 0.5, 2.0, 6.0]
    assert K.relu(x, threshold=1.0).tolist() == [0.0, 0.0, 0.0, 2.0, 8.0]
    assert K.hard_sigmoid(x).tolist() == pytest.approx([0.0, 0.3, 0.6, 0.9, 1.0])  # 0.2 x + 0.5
    assert K.elu(np.array([-1.0]), alpha=2.0).tolist() == pytest.approx([2 * (np.exp(-1) - 1)])
    norm = K.l2_normalize(np.array([[3.0, 4.0]]), axis=-1)
    np.testing.assert_allclose(norm, [[0.6, 0.8]], rtol=1e-6)


def test_crossentropies_have_keras2_clipping_and_no_mean():
    target = np.array([[1.0, 0.0]], "float32")
    output = np.array([[0.8, 0.0]], "float32")
    eps = 1e-7
    expected = [-np.log(0.8 + eps), -np.log(1 - eps + eps)]
    np.testing.assert_allclose(K.binary_crossentropy(target, output)[0], expected, rtol=1e-5)
    cce = K.categorical_crossentropy(np.array([[0.0, 1.0, 0.0]]), np.array([[2.0, 1.0, 1.0]]))
    np.testing.assert_allclose(cce, [-np.log(0.25)], rtol=1e-6)  # scaled to sum to 1 first
    scce = K.sparse_categorical_crossentropy(np.array([1, 0]), np.array([[0.5, 0.5], [0.9, 0.1]]), ignore_class=0)
    np.testing.assert_allclose(scce, [-np.log(0.5), 0.0], rtol=1e-6)


def test_shapes_and_building():
    x = np.zeros((4, 3, 2), "float32")
    assert K.int_shape(x) == (4, 3, 2) and K.ndim(x) == 3 and K.dtype(x) == "float32"
    assert K.shape(x).dtype == np.int32 and K.shape(x)[0] == 4
    assert K.int_shape(K.batch_dot(np.ones((4, 3)), np.ones((4, 3)), axes=1)) == (4, 1)
    assert K.int_shape(K.repeat(np.ones((4, 3)), 5)) == (4, 5, 3)
    assert K.repeat_elements(np.array([1, 2]), 2, 0).tolist() == [1, 1, 2, 2]
    assert K.arange(5).dtype == np.int32 and K.arange(-3).tolist() == []
    zeros = K.zeros((2, 3))
    assert isinstance(zeros, keras.Variable) and K.count_params(zeros) == 6
    assert K.switch(np.array(False), lambda: 1.0, lambda: 2.0) == 2.0
    assert K.in_train_phase(lambda: "train", "test", training=True) == "train"
    assert K.in_train_phase("train", "test") == "test"  # no training flag: the test phase


def test_variables_change_in_place():
    v = K.variable(np.ones((2,)), name="v")
    K.update_add(v, np.array([1.0, 2.0]))
    K.moving_average_update(v, np.zeros(2), 0.75)
    np.testing.assert_allclose(K.get_value(v), [1.5, 2.25])  # (2, 3) moved a quarter of the way to 0
    K.batch_set_value([(v, [5, 6])])
    assert K.eval(v).tolist() == [5.0, 6.0] and K.get_value(v).dtype == np.float32
    with pytest.raises(TypeError, match="must be a variable"):
        K.batch_set_value([(v, [1, 1]), (np.zeros(2), [1, 1])])
    assert K.eval(v).tolist() == [5.0, 6.0]  # a rejected call changes nothing


def test_int_seed_gives_a_new_reproducible_draw_each_call():
    first = [K.random_normal((3,), seed=11) for _ in range(2)]
    assert not np.array_equal(*first)
    bernoulli = K.random_bernoulli((1000,), p=0.25, seed=2)
    assert set(np.unique(bernoulli)) == {0.0, 1.0} and abs(bernoulli.mean() - 0.25) < 0.05
    assert K.random_uniform(np.array([2, 3], "int32")).shape == (2, 3)  # a shape given as a tensor


def test_transposed_and_local_convolutions_in_both_layouts():
    x, kernel = RNG.normal(size=(1, 3, 4, 2)).astype("float32"), RNG.normal(size=(3, 3, 5, 2)).astype("float32")
    last = K.conv2d_transpose(x, kernel, (1, 6, 8, 5), strides=(2, 2), padding="same", data_format="channels_last")
    first = K.conv2d_transpose(np.moveaxis(x, -1, 1), kernel, (1, 5, 6, 8), strides=(2, 2), padding="same",
                               data_format="channels_first")
    np.testing.assert_allclose(np.moveaxis(first, 1, -1), last, rtol=1e-5, atol=1e-6)
    # A 1x1 transposed convolution with stride 1 is a matrix product per pixel.
    one = K.conv2d_transpose(x, kernel[:1, :1], (1, 3, 4, 5), data_format="channels_last")
    np.testing.assert_allclose(one, np.einsum("bhwc,oc->bhwo", x, kernel[0, 0]), rtol=1e-5, atol=1e-6)
    steps, weights = RNG.normal(size=(2, 6, 3)), RNG.normal(size=(3, 2 * 3, 4))
    local = K.local_conv1d(steps, weights, (2,), (2,), data_format="channels_last")
    expected = [steps[:, 2 * i:2 * i + 2].reshape(2, -1) @ weights[i] for i in range(3)]
    np.testing.assert_allclose(local, np.stack(expected, axis=1), rtol=1e-6)


# ------------------------------------------------------------------ gradients
@pytest.mark.parametrize("fn", [
    lambda x: K.mean(K.square(x), axis=1),
    lambda x: K.l2_normalize(x, axis=-1),
    lambda x: K.relu(x, alpha=0.3, max_value=1.0),
    lambda x: K.softmax(x, axis=0),
    lambda x: K.binary_crossentropy(K.sigmoid(x) * 0 + 0.3, K.sigmoid(x)),
    lambda x: K.categorical_crossentropy(np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]), x, from_logits=True),
    lambda x: K.sparse_categorical_crossentropy(np.array([2, 0]), K.softmax(x)),
    lambda x: K.batch_dot(x, K.permute_dimensions(K.expand_dims(x), (0, 2, 1)) * 0 + 1, axes=(1, 2)),
    lambda x: K.std(x, axis=-1, keepdims=True) + K.exp(K.clip(x, -0.5, 0.5)),
], ids=["mean_square", "l2_normalize", "relu", "softmax", "bce", "cce_logits", "scce", "batch_dot", "std_exp_clip"])
def test_gradients_match_finite_differences(fn):
    check_gradients(fn, RNG.uniform(0.1, 0.9, size=(2, 3)) * RNG.choice([-1, 1], size=(2, 3)))


# ------------------------------------------------------- symbolic tensors
def test_functions_on_symbolic_tensors_are_graph_steps():
    inputs = keras.Input((3,))
    assert K.int_shape(inputs) == (None, 3) and K.ndim(inputs) == 2
    squared = K.mean(K.square(inputs), axis=-1)
    assert isinstance(squared, keras.KerasTensor) and squared.shape == (None,)
    noise = K.random_normal(shape=(K.shape(inputs)[0], K.int_shape(inputs)[1]), seed=1)
    assert noise.shape == (None, 3)
    model = keras.Model(inputs, [squared, noise])
    x = np.arange(6.0, dtype="float32").reshape(2, 3)
    mean_square, drawn = model.predict(x, verbose=0)
    np.testing.assert_allclose(mean_square, np.mean(x ** 2, axis=-1), rtol=1e-6)
    assert drawn.shape == (2, 3)


def _keras2_vae(latent=2, features=6):
    """A Keras 2 variational autoencoder, as the course notebooks write it (with `K = keras.backend`)."""
    inputs = keras.Input(shape=(features,))
    hidden = keras.layers.Dense(8, activation="relu")(inputs)
    z_mean = keras.layers.Dense(latent)(hidden)
    z_log_var = keras.layers.Dense(latent)(hidden)

    def sampling(args):
        z_mean, z_log_var = args
        epsilon = K.random_normal(shape=(K.shape(z_mean)[0], K.int_shape(z_mean)[1]), mean=0.0, stddev=1.0)
        return z_mean + K.exp(0.5 * z_log_var) * epsilon

    z = keras.layers.Lambda(sampling)([z_mean, z_log_var])
    outputs = keras.layers.Dense(features, activation="sigmoid")(keras.layers.Dense(8, activation="relu")(z))
    vae = keras.Model(inputs, outputs)
    reconstruction = K.sum(K.binary_crossentropy(inputs, outputs), axis=-1)
    kl = -0.5 * K.sum(1 + z_log_var - K.square(z_mean) - K.exp(z_log_var), axis=-1)
    vae.add_loss(K.mean(reconstruction + kl))
    return vae


def test_a_keras2_vae_trains(fresh_notes):
    keras.utils.set_random_seed(3)
    x = (RNG.uniform(size=(64, 6)) > 0.5).astype("float32")
    with recorded_notes() as notes:
        vae = _keras2_vae()
        vae.compile(optimizer=keras.optimizers.Adam(0.01))
        history = vae.fit(x, epochs=15, batch_size=16, verbose=0)
    losses = history.history["loss"]
    assert np.isfinite(losses).all() and losses[-1] < 0.9 * losses[0]
    backend_notes = [n for n in notes if "keras.backend." in n]
    assert len(backend_notes) == 1 and "Keras 3 spelling: `keras." in backend_notes[0]


# -------------------------------------------------------- notes and strict mode
def test_one_note_per_process_naming_the_function_and_its_keras3_spelling(fresh_notes):
    with recorded_notes() as notes:
        K.mean(np.ones(3))
        K.square(np.ones(3))
        K.random_normal((2,))
    assert notes == [keras2_notes.message("backend_functions", "`keras.backend.mean`", "`keras.ops.mean`")]


def test_keras3_spellings_give_no_note(fresh_notes):
    with recorded_notes() as notes:
        keras.ops.mean(keras.ops.square(np.ones(3)))
        keras.random.normal((2,), seed=1)
    assert notes == []


def test_strict_mode_refuses_every_function_and_changes_nothing(fresh_notes):
    v = K.variable([1.0, 2.0])
    with strict_keras3():
        for name in ["mean", "random_normal", "int_shape", "set_value", "function"]:
            with pytest.raises(keras2_notes.Keras3StrictError, match=f"keras.backend.{name}"):
                K.KERAS2_NAMES[name](v, [3.0, 4.0]) if name == "set_value" else K.KERAS2_NAMES[name]((2,))
    assert K.get_value(v).tolist() == [1.0, 2.0]


@pytest.mark.parametrize("name", ["gradients", "placeholder", "set_learning_phase", "rnn", "get_session"])
def test_graph_only_functions_say_what_to_write_instead(name):
    with pytest.raises(NotImplementedError, match="TensorFlow graphs.*Write instead: "):
        getattr(K, name)()


def test_keras2_names_lists_every_function_once():
    assert all(callable(f) and f.__name__ == name for name, f in K.KERAS2_NAMES.items())
    assert set(K.KERAS2_NAMES) == set(K.KERAS3_SPELLINGS)
    assert not set(K.KERAS2_NAMES) & set(dir(keras.backend))
    assert {"mean", "square", "exp", "random_normal", "int_shape", "shape", "binary_crossentropy"} <= set(K.__all__)


def test_a_loss_of_k_functions_reads_each_batch_in_compiled_steps(fresh_notes):
    """Labels and data pass through recorded ops, so a replayed (compiled) step sees each new batch."""
    features = keras.Input((3,))
    labels = keras.Input((1,), dtype="int32")
    probabilities = keras.layers.Dense(4, activation="softmax")(features)
    model = keras.Model([features, labels], probabilities)
    with recorded_notes():
        per_sample = K.sparse_categorical_crossentropy(labels, probabilities)
        model.add_loss(K.mean(per_sample) + K.mean(K.cast(K.greater(labels, 1), "float32")))
    model.compile(optimizer="sgd")
    x = RNG.normal(size=(32, 3)).astype("float32")
    y = RNG.integers(0, 4, size=(32, 1)).astype("int32")
    p = model.predict([x, y], verbose=0).astype("float64")
    batches = [np.mean(-np.log(np.clip(p[i:i + 8][np.arange(8), y[i:i + 8, 0]], 1e-7, 1 - 1e-7)))
               + np.mean(y[i:i + 8] > 1) for i in range(0, 32, 8)]
    np.testing.assert_allclose(model.evaluate([x, y], batch_size=8, verbose=0), np.mean(batches), rtol=1e-5)


def test_a_keras2_custom_metric_and_loss_train(fresh_notes):
    def recall(y_true, y_pred):  # as Keras 2 courses write it
        true_positives = K.sum(K.round(K.clip(y_true * y_pred, 0, 1)))
        possible_positives = K.sum(K.round(K.clip(y_true, 0, 1)))
        return true_positives / (possible_positives + K.epsilon())

    def loss(y_true, y_pred):
        return K.mean(K.square(y_pred - y_true), axis=-1)

    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, activation="sigmoid")])
    x = RNG.normal(size=(64, 4)).astype("float32")
    y = (x[:, :1] > 0).astype("float32")
    with recorded_notes() as notes:
        model.compile(keras.optimizers.SGD(0.5), loss, metrics=[recall])
        history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
        assert K.epsilon() == keras.backend.epsilon()  # keras.backend's own names: no note
    assert len(notes) == 1 and history.history["loss"][-1] < history.history["loss"][0]
    predicted = model.predict(x, verbose=0)
    expected = np.sum(np.round(np.clip(y * predicted, 0, 1))) / (np.sum(y) + 1e-7)
    np.testing.assert_allclose(recall(y, predicted), expected, rtol=1e-6)


def test_keras_backend_lends_the_keras2_functions(monkeypatch):
    """`from keras import backend as K` then `K.mean(...)`: the Keras 2 names are found on `keras.backend`."""
    import importlib

    from nanokeras.utils import keras2_notes

    backend = importlib.import_module("nanokeras.backend")
    for name in ("mean", "square", "random_normal", "int_shape"):
        monkeypatch.delattr(backend, name, raising=False)
    assert float(backend.mean(backend.square(np.array([1.0, 3.0])))) == 5.0
    assert backend.int_shape(np.zeros((2, 3))) == (2, 3)
    assert backend.epsilon() == 1e-7  # Keras 3's own names are unchanged
    with pytest.raises(AttributeError, match="has no attribute 'not_a_backend_function'"):
        backend.not_a_backend_function
    keras2_notes.set_strict(True)
    try:
        with pytest.raises(AttributeError, match=r"keras\.backend\.random_normal.*Keras 3 spelling: `keras\.random"):
            backend.random_normal
    finally:
        keras2_notes.set_strict(None)


def _stack():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, kernel_initializer="ones"),
                              keras.layers.Dropout(0.5), keras.layers.Dense(1, kernel_initializer="ones")])
    return model


def test_function_reads_intermediate_outputs(fresh_notes):
    model = _stack()
    x = np.array([[1.0, 2.0]], "float32")
    get = K.function([model.layers[0].input], [model.layers[0].output, model.layers[2].output])
    hidden, out = get([x])
    assert hidden.tolist() == [[3.0, 3.0, 3.0]] and out.tolist() == [[9.0]]
    assert isinstance(K.function(model.input, model.output)(x), np.ndarray)  # one output: one array


def test_function_learning_phase_chooses_training_behaviour(fresh_notes):
    model = _stack()
    x = np.ones((50, 2), "float32")
    get = K.function([model.input, K.learning_phase()], [model.layers[1].output])
    assert np.array_equal(get([x, 0])[0], np.full((50, 3), 2.0, "float32"))  # inference: dropout is identity
    dropped = get([x, 1])[0]
    assert set(np.unique(dropped)) == {0.0, 4.0}  # training: kept values scaled by 1 / (1 - 0.5)
    assert not K.learning_phase() and int(K.learning_phase()) == 0


def test_function_errors_name_the_problem(fresh_notes):
    model = _stack()
    get = K.function([model.input], [model.output])
    with pytest.raises(ValueError, match="list of 1 input value"):
        get([np.ones((1, 2)), np.ones((1, 2))])
    with pytest.raises(TypeError, match="input 0 is ndarray"):
        K.function([np.ones((1, 2))], [model.output])
    with pytest.raises(NotImplementedError, match="updates"):
        K.function([model.input], [model.output], updates=[(model.weights[0], model.weights[0])])
