"""Each Keras 2 idiom: works with Keras 2's meaning, notes its Keras 3 spelling once, fails in strict
mode (changing nothing), and the Keras 3 spelling gives no note."""

import warnings

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.utils import keras2_notes
from tests.utils.keras2_helpers import fresh_notes, recorded_notes, strict_keras3  # noqa: F401


def tiny_model(units=1, activation="sigmoid"):
    return keras.Sequential([keras.Input((3,)), keras.layers.Dense(units, activation=activation)])


def data(n=12):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(n, 3)).astype("float32")
    return x, (x.sum(axis=1) > 0).astype("float32")


def assert_noted_once(use, key):
    with recorded_notes() as notes:
        use()
        use()
    assert len(notes) == 1, notes
    assert keras2_notes.IDIOMS[key].since in notes[0]


def assert_no_note(use):
    with recorded_notes() as notes:
        use()
    assert notes == []


# ------------------------------------------------------------------ compile
def test_compile_positional_metrics(fresh_notes):
    x, y = data()
    model = tiny_model()
    assert_noted_once(lambda: model.compile(keras.optimizers.SGD(0.1), "binary_crossentropy", ["acc"]),
                      "compile_positional_metrics")
    history = model.fit(x, y, epochs=1, verbose=0)
    assert set(history.history) == {"loss", "acc"}
    fresh = tiny_model()
    with strict_keras3(), pytest.raises(ValueError, match="metrics="):
        fresh.compile("sgd", "binary_crossentropy", ["acc"])
    assert not fresh.compiled
    assert_no_note(lambda: fresh.compile("sgd", "binary_crossentropy", metrics=["acc"]))
    assert_no_note(lambda: fresh.compile("sgd", "binary_crossentropy", [1.0]))  # real loss weights


# --------------------------------------------------------------- optimizers
def test_optimizer_lr(fresh_notes):
    assert_noted_once(lambda: keras.optimizers.Adam(lr=0.25), "optimizer_lr")
    assert float(keras.optimizers.Adam(lr=0.25).learning_rate) == 0.25
    with strict_keras3(), pytest.raises(ValueError, match="learning_rate="):
        keras.optimizers.RMSprop(lr=0.1)
    assert_no_note(lambda: keras.optimizers.Adam(learning_rate=0.25))


def test_optimizer_decay_divides_the_rate_by_one_plus_decay_times_iterations(fresh_notes):
    w = keras.Variable(np.array([1.0]), name="w")
    with recorded_notes() as notes:
        optimizer = keras.optimizers.SGD(0.1, decay=0.5)
    assert len(notes) == 1
    expected = 1.0
    for step in range(4):
        optimizer.apply_gradients([(np.array([1.0], "float32"), w)])
        expected -= 0.1 / (1 + 0.5 * step)
        np.testing.assert_allclose(w.numpy(), [expected], rtol=1e-6)
    schedule = keras.optimizers.schedules.InverseTimeDecay(0.1, decay_steps=1, decay_rate=0.5)
    assert_no_note(lambda: keras.optimizers.SGD(schedule))
    with pytest.raises(ValueError, match="needs a number"):
        keras.optimizers.SGD(schedule, decay=0.5)
    with strict_keras3(), pytest.raises(ValueError, match="InverseTimeDecay"):
        keras.optimizers.SGD(0.1, decay=0.5)


def test_one_optimizer_shared_by_two_models_gives_each_its_own_slots(fresh_notes):
    x, y = data()
    optimizer = keras.optimizers.Adam(0.01)
    discriminator, combined = tiny_model(), tiny_model()
    discriminator.compile(optimizer, "binary_crossentropy")
    combined.compile(optimizer, "binary_crossentropy")
    discriminator.train_on_batch(x, y)
    with recorded_notes() as notes:
        combined.train_on_batch(x, y)
        discriminator.train_on_batch(x, y)
        combined.train_on_batch(x, y)
    assert len(notes) == 1 and "one optimizer per model" in notes[0]
    assert int(optimizer.iterations.numpy()) == 4  # one step counter for both, as in Keras 2
    slots = [v.path for v in optimizer.variables if v.path.endswith(("_momentum", "_velocity"))]
    assert len(slots) == 2 * len(discriminator.trainable_weights + combined.trainable_weights)


def test_shared_optimizer_updates_match_separate_slots_by_hand(fresh_notes):
    # Adam on two variable sets with one step counter: the second set's first update is a step-2 update.
    a, b = keras.Variable(np.array([1.0]), name="a"), keras.Variable(np.array([2.0]), name="b")
    optimizer = keras.optimizers.Adam(0.1)
    optimizer.apply_gradients([(np.array([0.5], "float32"), a)])
    with recorded_notes():
        optimizer.apply_gradients([(np.array([0.5], "float32"), b)])
    m = 0.1 * 0.5
    v = 0.001 * 0.25
    alpha = 0.1 * np.sqrt(1 - 0.999 ** 2) / (1 - 0.9 ** 2)
    np.testing.assert_allclose(b.numpy(), [2.0 - alpha * m / (np.sqrt(v) + 1e-7)], rtol=1e-5)


def test_shared_optimizer_rejected_call_changes_nothing(fresh_notes):
    a, b = keras.Variable(np.ones(2), name="a"), keras.Variable(np.ones(3), name="b")
    optimizer = keras.optimizers.Adam(0.1)
    optimizer.apply_gradients([(np.ones(2, "float32"), a)])
    before = [v.path for v in optimizer.variables]
    with pytest.raises(ValueError, match="shape"):
        optimizer.apply_gradients([(np.ones(2, "float32"), b)])
    assert [v.path for v in optimizer.variables] == before


# ------------------------------------------------------------- losses, metrics
@pytest.mark.parametrize("name, target", [
    ("mse", "mean_squared_error"), ("MAE", "mean_absolute_error"), ("mape", "mean_absolute_percentage_error"),
    ("msle", "mean_squared_logarithmic_error"), ("kld", "kl_divergence"),
    ("kullback_leibler_divergence", "kl_divergence"), ("logcosh", "log_cosh"),
])
def test_loss_and_metric_function_aliases(fresh_notes, name, target):
    with recorded_notes() as notes:
        assert getattr(keras.losses, name) is getattr(keras.losses, target)
        assert getattr(keras.metrics, name) is getattr(keras.metrics, target)
    assert len(notes) == 2 and f"keras.losses.{target}" in notes[0]
    with strict_keras3():
        assert not hasattr(keras.losses, name)
        with pytest.raises(ImportError):
            exec(f"from nanokeras.losses import {name}")
    assert_no_note(lambda: getattr(keras.losses, target))


def test_keras3_short_names_as_strings_give_no_note(fresh_notes):
    assert_no_note(lambda: [keras.losses.get(n) for n in ("mse", "mae", "mape", "msle", "kld", "MSE", "bce")])
    assert_no_note(lambda: [keras.metrics.get(n) for n in ("mse", "mae", "accuracy")])


def test_loss_string_aliases_only_keras2_knows(fresh_notes):
    assert_noted_once(lambda: keras.losses.get("logcosh"), "loss_string_alias")
    assert keras.losses.get("kullback_leibler_divergence") is keras.losses.kl_divergence
    with strict_keras3(), pytest.raises(ValueError, match="'log_cosh'"):
        tiny_model().compile("sgd", loss="logcosh")


def test_loss_reduction_enum(fresh_notes):
    with recorded_notes() as notes:
        reduction = keras.losses.Reduction
    assert len(notes) == 1
    loss = keras.losses.MeanSquaredError(reduction=reduction.NONE)
    np.testing.assert_allclose(loss(np.zeros((2, 1)), np.array([[1.0], [2.0]])), [1.0, 4.0])
    assert keras.losses.MeanSquaredError(reduction=reduction.AUTO).reduction == "sum_over_batch_size"
    with pytest.raises(ValueError, match="Invalid Reduction"):
        reduction.validate("mean-ish")


# -------------------------------------------------------------------- layers
def test_batch_input_shape_and_batch_size_on_a_layer(fresh_notes):
    with recorded_notes() as notes:
        model = keras.Sequential([keras.layers.Dense(2, batch_input_shape=(None, 3))])
        sized = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), batch_size=8)])
    assert len(notes) == 1
    assert model.input_shape == (None, 3) and sized.input_shape == (8, 3)
    with strict_keras3(), pytest.raises(ValueError, match="batch_shape"):
        keras.layers.Dense(2, batch_input_shape=(None, 3))
    # `input_shape=` / `input_dim=` are accepted by Keras 3 (with its own warning): no note.
    assert_no_note(lambda: keras.Sequential([keras.layers.Dense(2, input_shape=(3,))]))
    assert_no_note(lambda: keras.Sequential([keras.layers.Dense(2, input_dim=3)]))
    assert_no_note(lambda: keras.Sequential([keras.Input(batch_shape=(8, 3)), keras.layers.Dense(2)]))


def test_call_with_a_required_training_argument(fresh_notes):
    seen = []
    with recorded_notes() as notes:
        class Noise(keras.layers.Layer):
            def call(self, inputs, training):
                seen.append(training)
                return inputs + 1.0 if training else inputs
    assert len(notes) == 1 and "training=None" in notes[0]
    x, y = data()
    model = keras.Sequential([keras.Input((3,)), Noise(), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    model.fit(x, y, epochs=1, batch_size=12, verbose=0)
    assert True in seen
    seen.clear()
    out = model.predict(x[:2], verbose=0)
    assert seen == [False]
    np.testing.assert_allclose(out, model.layers[1](x[:2]), rtol=1e-6)
    assert Noise()(np.zeros((1, 3), "float32"), True).tolist() == [[1.0, 1.0, 1.0]]  # positional still works
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(1)(Noise()(inputs)))
    seen.clear()
    functional.predict(x[:2], verbose=0)
    assert seen == [False]
    with strict_keras3(), pytest.raises(ValueError, match="training=None"):
        class Strict(keras.layers.Layer):
            def call(self, inputs, training):
                return inputs
    with recorded_notes() as notes:
        class Modern(keras.layers.Layer):
            def call(self, inputs, training=None):
                return inputs
    assert notes == []


# ---------------------------------------------------------------------- data
def test_string_arrays_to_fit_and_predict_for_a_string_lookup_model(fresh_notes):
    words = np.array([["a"], ["b"], ["c"], ["a"], ["b"], ["z"]])
    y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0], "float32")
    model = keras.Sequential([keras.layers.StringLookup(vocabulary=["a", "b", "c"]), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    model.build((None, 1))
    twin = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    twin.compile(keras.optimizers.SGD(0.1), "mse")
    twin.set_weights(model.get_weights())
    ids = model.layers[0](words).astype("float32")
    with recorded_notes() as notes:
        model.fit(words, y, epochs=3, batch_size=2, shuffle=False, verbose=0)
        predicted = model.predict(words, verbose=0)
    assert len(notes) == 1 and "string" in notes[0]
    twin.fit(ids, y, epochs=3, batch_size=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(predicted, twin.predict(ids, verbose=0), rtol=1e-6)
    before = model.get_weights()
    with strict_keras3(), pytest.raises(ValueError, match="numpy array of strings"):
        model.fit(words, y, verbose=0)
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    numeric = tiny_model()
    numeric.compile("sgd", "mse")
    with pytest.raises(TypeError, match="numeric"):  # only a model that looks strings up takes them
        numeric.fit(np.array([["a", "b", "c"]]), np.zeros(1), verbose=0)


def test_fit_generator_and_friends(fresh_notes):
    x, y = data()

    class Batches(keras.utils.Sequence):
        def __len__(self):
            return 3

        def __getitem__(self, index):
            return x[index * 4:(index + 1) * 4], y[index * 4:(index + 1) * 4]

    model, twin = tiny_model(), tiny_model()
    twin.set_weights(model.get_weights())
    for m in (model, twin):
        m.compile(keras.optimizers.SGD(0.1), "binary_crossentropy")
    with recorded_notes() as notes:
        history = model.fit_generator(Batches(), epochs=2, verbose=0, shuffle=False)
        evaluated = model.evaluate_generator(Batches())
        predicted = model.predict_generator(Batches())
    assert len(notes) == 1
    expected = twin.fit(x, y, batch_size=4, epochs=2, verbose=0, shuffle=False)
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(evaluated, twin.evaluate(x, y, batch_size=4, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(predicted, twin.predict(x, verbose=0), rtol=1e-6)
    with strict_keras3(), pytest.raises(ValueError, match=r"model.fit\(...\)"):
        model.fit_generator(Batches(), verbose=0)


def test_experimental_preprocessing_names(fresh_notes):
    assert_noted_once(lambda: keras.layers.experimental.preprocessing.Normalization, "experimental_preprocessing")
    assert keras.layers.experimental.preprocessing.StringLookup is keras.layers.StringLookup
    with pytest.raises(AttributeError, match="no attribute 'Dense'"):
        keras.layers.experimental.preprocessing.Dense
    with strict_keras3():
        assert not hasattr(keras.layers.experimental.preprocessing, "Rescaling")


def test_text_vectorization_with_input_shape_takes_raw_strings(fresh_notes):
    texts = np.array(["the cat sat", "a dog ran", "the dog sat", "cats and dogs"])
    y = np.array([0.0, 1.0, 0.0, 1.0], "float32")

    def make(**input_kwargs):
        keras.utils.set_random_seed(1)
        vectorizer = keras.layers.TextVectorization(max_tokens=20, output_sequence_length=4, **input_kwargs)
        vectorizer.adapt(texts)
        return vectorizer, [keras.layers.Embedding(20, 3), keras.layers.GlobalAveragePooling1D(),
                            keras.layers.Dense(1, activation="sigmoid")]

    with recorded_notes() as notes:
        vectorizer, rest = make(input_shape=(1,))
        model = keras.Sequential([vectorizer] + rest)
        model.compile(keras.optimizers.SGD(0.5), "binary_crossentropy")
        model.fit(texts.reshape(-1, 1), y, epochs=3, batch_size=2, shuffle=False, verbose=0)
    assert len([n for n in notes if "TextVectorization(input_shape" in n]) == 1
    # Keras 3's spelling: vectorize first, then train the numeric model; the same numbers.
    vectorizer_3, rest_3 = make()
    numeric = keras.Sequential([keras.Input((4,), dtype="int64")] + rest_3)
    numeric.compile(keras.optimizers.SGD(0.5), "binary_crossentropy")
    numeric.fit(vectorizer_3(texts), y, epochs=3, batch_size=2, shuffle=False, verbose=0)
    np.testing.assert_allclose(model.predict(texts.reshape(-1, 1), verbose=0),
                               numeric.predict(vectorizer_3(texts), verbose=0), rtol=1e-6)
    with strict_keras3(), pytest.raises(ValueError, match="strict Keras 3"):
        keras.layers.TextVectorization(input_shape=(1,))
    with recorded_notes() as notes:
        keras.layers.TextVectorization(output_sequence_length=4)
    assert notes == []


def test_nb_epoch(fresh_notes):
    x, y = data()
    model, twin = tiny_model(), tiny_model()
    twin.set_weights(model.get_weights())
    for m in (model, twin):
        m.compile(keras.optimizers.SGD(0.1), "binary_crossentropy")
    with recorded_notes() as notes:
        history = model.fit(x, y, nb_epoch=3, batch_size=4, verbose=0, shuffle=False)
    assert len(notes) == 1 and keras2_notes.IDIOMS["nb_epoch"].since in notes[0]
    expected = twin.fit(x, y, epochs=3, batch_size=4, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 3
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"], rtol=1e-6)
    before = [w.copy() for w in model.get_weights()]
    with strict_keras3(), pytest.raises(ValueError, match="epochs=10"):
        model.fit(x, y, nb_epoch=3, verbose=0)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("method, kwargs, suggestion", [
    ("fit", {"epoch": 2}, "epochs"), ("fit", {"validation_split_": 0.1}, "validation_split"),
    ("evaluate", {"batchsize": 4}, "batch_size"), ("predict", {"batch": 4}, "batch_size"),
])
def test_misspelt_keywords_of_fit_evaluate_predict(method, kwargs, suggestion):
    x, y = data()
    model = tiny_model()
    model.compile("sgd", "binary_crossentropy")
    before = [w.copy() for w in model.get_weights()]
    args = (x,) if method == "predict" else (x, y)
    with pytest.raises(ValueError, match=f"Did you mean '{suggestion}'") as caught:
        getattr(model, method)(*args, verbose=0, **kwargs)
    assert isinstance(caught.value, TypeError)  # what Python itself would raise, with the hint
    assert f"{method}()" in str(caught.value)
    for a, b in zip(before, model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_predict_classes_and_predict_proba(fresh_notes):
    x, _ = data()
    binary = tiny_model()
    with recorded_notes() as notes:
        classes = binary.predict_classes(x)
        proba = binary.predict_proba(x)
    assert len(notes) == 1 and keras2_notes.IDIOMS["predict_classes"].since in notes[0]
    expected = binary.predict(x, verbose=0)
    np.testing.assert_array_equal(proba, expected)
    assert classes.dtype == np.int32 and classes.shape == (12, 1)
    np.testing.assert_array_equal(classes, (expected > 0.5).astype("int32"))
    multi = tiny_model(units=4, activation="softmax")
    with recorded_notes():
        multi_classes = multi.predict_classes(x, batch_size=5)
    np.testing.assert_array_equal(multi_classes, multi.predict(x, verbose=0).argmax(axis=-1))
    assert multi_classes.shape == (12,)
    linear = tiny_model(units=2, activation="linear")
    linear.set_weights([np.full((3, 2), 5.0, "float32"), np.zeros(2, "float32")])
    with recorded_notes(), pytest.warns(UserWarning, match="invalid probability values"):
        linear.predict_proba(x)
    with strict_keras3(), pytest.raises(ValueError, match="argmax"):
        multi.predict_classes(x)
    inputs = keras.Input((3,))
    functional = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    assert not hasattr(functional, "predict_classes")  # Keras 2 had them on Sequential only


@pytest.mark.parametrize("submodule, name", [
    ("np_utils", "to_categorical"), ("np_utils", "normalize"), ("vis_utils", "plot_model"),
    ("data_utils", "get_file"), ("data_utils", "Sequence"), ("data_utils", "pad_sequences"),
    ("generic_utils", "Progbar"), ("generic_utils", "get_custom_objects"),
    ("generic_utils", "register_keras_serializable"),
])
def test_keras2_utils_submodules(fresh_notes, submodule, name):
    import importlib

    module = importlib.import_module(f"nanokeras.utils.{submodule}")
    assert getattr(keras.utils, submodule) is module
    assert_noted_once(lambda: getattr(module, name), "utils_submodules")
    assert getattr(module, name) is getattr(keras.utils, name)
    assert name in dir(module)
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        getattr(module, "nothing_here")
    with strict_keras3(), pytest.raises(AttributeError, match=f"keras.utils.{name}"):
        getattr(module, name)


def test_np_utils_to_categorical_as_keras2_wrote_it(fresh_notes):
    with recorded_notes():
        from nanokeras.utils.np_utils import to_categorical
        from nanokeras.utils import np_utils
    np.testing.assert_array_equal(np_utils.to_categorical([0, 2, 1], 3), np.eye(3, dtype="float32")[[0, 2, 1]])
    assert to_categorical is keras.utils.to_categorical


def test_optimizer_lr_attribute(fresh_notes):
    from nanokeras import backend as K

    optimizer = keras.optimizers.Adam(0.01)
    assert_noted_once(lambda: optimizer.lr, "optimizer_lr")
    with recorded_notes():
        assert optimizer.lr is optimizer.learning_rate
        K.set_value(optimizer.lr, 0.5)
        assert float(optimizer.learning_rate) == 0.5
        optimizer.lr = 0.25
        assert float(optimizer.learning_rate) == 0.25
        assert float(K.get_value(optimizer.lr)) == 0.25
    with strict_keras3():
        assert not hasattr(optimizer, "lr")  # as in Keras 3
        with pytest.raises(AttributeError, match="learning_rate"):
            optimizer.lr = 0.1
    assert float(optimizer.learning_rate) == 0.25


@pytest.mark.parametrize("statement, name", [
    ("from nanokeras.layers.core import Dense", "Dense"),
    ("from nanokeras.layers.core import Dropout", "Dropout"),
    ("from nanokeras.layers.convolutional import Conv2D", "Conv2D"),
    ("from nanokeras.layers.convolutional import Convolution2D", "Convolution2D"),
    ("from nanokeras.layers.pooling import MaxPooling2D", "MaxPooling2D"),
    ("from nanokeras.layers.normalization import BatchNormalization", "BatchNormalization"),
    ("from nanokeras.layers.recurrent import LSTM", "LSTM"),
    ("from nanokeras.layers.embeddings import Embedding", "Embedding"),
    ("from nanokeras.layers.merge import concatenate", "concatenate"),
    ("from nanokeras.layers.merge import Add", "Add"),
    ("from nanokeras.layers.advanced_activations import LeakyReLU", "LeakyReLU"),
    ("from nanokeras.layers.wrappers import TimeDistributed", "TimeDistributed"),
    ("from nanokeras.layers.noise import GaussianNoise", "GaussianNoise"),
    ("from nanokeras.engine.topology import Layer", "Layer"),
    ("from nanokeras.engine.base_layer import InputSpec", "InputSpec"),
    ("from nanokeras.engine.training import Model", "Model"),
    ("from nanokeras.engine import Input", "Input"),
])
def test_keras2_layer_module_paths(fresh_notes, statement, name):
    namespace = {}
    with recorded_notes() as notes:
        exec(statement, namespace)
    assert len(notes) == 1 and keras2_notes.IDIOMS["layers_modules"].since in notes[0]
    expected = getattr(keras.layers, name, None) or getattr(keras, name)
    assert namespace[name] is expected
    with strict_keras3(), pytest.raises(ImportError):
        exec(statement, {})


def test_keras2_layer_modules_keep_their_own_contents():
    from nanokeras.layers.core import dense
    from nanokeras.layers.convolutional import conv2d

    assert dense.Dense is keras.layers.Dense and conv2d.Conv2D is keras.layers.Conv2D
    import nanokeras.layers.recurrent as recurrent

    with pytest.raises(AttributeError, match="no attribute 'Dense'"):
        recurrent.Dense
    assert "LSTM" in dir(recurrent)


def test_a_keras2_style_custom_layer_trains(fresh_notes):
    with recorded_notes():
        from nanokeras.engine.topology import Layer
        from nanokeras.layers.core import Dense

    class Double(Layer):
        def call(self, inputs):
            return inputs * 2.0

    model = keras.Sequential([keras.Input((3,)), Double(), Dense(1)])
    model.compile("sgd", "mse")
    x, y = data()
    history = model.fit(x, y, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2


def test_legacy_optimizers(fresh_notes):
    assert_noted_once(lambda: keras.optimizers.legacy.Adam, "legacy_optimizers")
    with recorded_notes():
        optimizer = keras.optimizers.legacy.Adam(learning_rate=0.01)
        from nanokeras.optimizers.legacy import RMSprop
    assert type(optimizer) is keras.optimizers.Adam and float(optimizer.learning_rate) == pytest.approx(0.01)
    assert RMSprop is keras.optimizers.RMSprop
    x, y = data()
    model = tiny_model()
    with recorded_notes():
        model.compile(keras.optimizers.legacy.SGD(learning_rate=0.1), "binary_crossentropy")
    assert len(model.fit(x, y, epochs=2, verbose=0).history["loss"]) == 2
    with pytest.raises(AttributeError, match="no attribute 'Lion'"):
        keras.optimizers.legacy.Lion
    with strict_keras3():
        assert not hasattr(keras.optimizers.legacy, "Adam")


def test_model_checkpoint_hdf5_saves_keras2_files(fresh_notes, tmp_path):
    # Keras 2 tutorials checkpoint to `weights-improvement-{epoch:02d}-{val_accuracy:.2f}.hdf5`
    # (the whole model) or to `weights.best.hdf5` with `save_weights_only=True`.
    x, y = data()
    model = tiny_model()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    whole = str(tmp_path / "improvement-{epoch:02d}.hdf5")
    weights = str(tmp_path / "weights.best.hdf5")
    with recorded_notes() as notes:
        callbacks = [keras.callbacks.ModelCheckpoint(whole),
                     keras.callbacks.ModelCheckpoint(weights, save_weights_only=True)]
    assert len(notes) == 1 and keras2_notes.IDIOMS["checkpoint_hdf5"].since in notes[0]
    with pytest.warns(UserWarning, match="HDF5"):  # Keras's warning on the legacy format
        model.fit(x, y, epochs=2, verbose=0, callbacks=callbacks)
    loaded = keras.models.load_model(tmp_path / "improvement-02.hdf5")
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)
    other = tiny_model()
    other.load_weights(weights)
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0), atol=1e-6)


def test_model_checkpoint_hdf5_strict_and_keras3_names(fresh_notes, tmp_path):
    with strict_keras3():
        with pytest.raises(keras2_notes.Keras3StrictError, match="model-\\{epoch:02d\\}.keras"):
            keras.callbacks.ModelCheckpoint(str(tmp_path / "w.hdf5"))
        with pytest.raises(keras2_notes.Keras3StrictError, match="weights.h5"):
            keras.callbacks.ModelCheckpoint(str(tmp_path / "w.h5"), save_weights_only=True)
    assert_no_note(lambda: keras.callbacks.ModelCheckpoint(str(tmp_path / "m.h5")))  # Keras 3 takes `.h5` models
    assert_no_note(lambda: keras.callbacks.ModelCheckpoint(str(tmp_path / "m.weights.h5"), save_weights_only=True))
    with pytest.raises(ValueError, match="filepath"):
        keras.callbacks.ModelCheckpoint(str(tmp_path / "m.txt"))


def test_model_reset_states_zeroes_stateful_layers(fresh_notes):
    # The time-series tutorials: `model.fit(..., shuffle=False); model.reset_states()` each epoch.
    inner = keras.Sequential([keras.Input(batch_shape=(2, 3, 1)), keras.layers.GRU(2, stateful=True)])
    model = keras.Sequential([keras.Input(batch_shape=(2, 3, 1)), keras.layers.LSTM(4, stateful=True,
                                                                                    return_sequences=True),
                              keras.layers.LSTM(1, stateful=True, return_sequences=True), inner])
    x = np.linspace(0.1, 1.0, 6, dtype="float32").reshape(2, 3, 1)
    first = model.predict(x, batch_size=2, verbose=0)
    assert not np.allclose(model.predict(x, batch_size=2, verbose=0), first)  # the states carried on
    assert_noted_once(model.reset_states, "model_reset_states")
    for layer in (model.layers[0], model.layers[1], inner.layers[0]):
        assert all(not np.any(np.asarray(state)) for state in layer.states)
    np.testing.assert_allclose(model.predict(x, batch_size=2, verbose=0), first, atol=1e-7)
    with strict_keras3(), pytest.raises(keras2_notes.Keras3StrictAttributeError, match="reset_state"):
        model.reset_states()


def test_layer_output_shape_and_input_shape(fresh_notes):
    # `for layer in model.layers: print(layer.name, layer.output_shape)` in the CNN tutorials.
    model = keras.Sequential([keras.layers.Conv2D(4, 3, input_shape=(8, 8, 1)), keras.layers.Flatten(),
                              keras.layers.Dense(2)])
    assert_noted_once(lambda: model.layers[0].output_shape, "layer_shapes")
    assert [layer.output_shape for layer in model.layers] == [(None, 6, 6, 4), (None, 144), (None, 2)]
    assert [layer.input_shape for layer in model.layers] == [(None, 8, 8, 1), (None, 6, 6, 4), (None, 144)]
    assert model.output_shape == (None, 2)  # models keep Keras 3's own property
    with pytest.raises(AttributeError, match="never been called"):
        _ = keras.layers.Dense(2).output_shape
    shared = keras.layers.Dense(3)
    shared(keras.Input((4,)))
    shared(keras.Input((2, 4)))
    for attribute in ("input_shape", "output_shape"):
        with pytest.raises(AttributeError, match="multiple inbound nodes"):
            getattr(shared, attribute)

    class Custom(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.output_shape = "mine"  # a layer's own attribute wins

    assert Custom().output_shape == "mine"
    with strict_keras3(), pytest.raises(keras2_notes.Keras3StrictAttributeError, match="layer.output.shape"):
        _ = model.layers[0].output_shape


def test_history_lr_key_reads_the_logged_learning_rate(fresh_notes):
    # `plt.plot(history.history['lr'])` after ReduceLROnPlateau, in Keras 2 tutorials.
    x, y = data()
    model = tiny_model()
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="binary_crossentropy")
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 0.1 * 0.5 ** epoch)
    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[schedule])
    assert_noted_once(lambda: history.history["lr"], "history_lr")
    np.testing.assert_allclose(history.history["lr"], [0.1, 0.05, 0.025], rtol=1e-6)
    assert history.history["lr"] is history.history["learning_rate"]
    assert "lr" not in history.history and history.history.get("lr") is None  # only what was logged
    with pytest.raises(KeyError):
        history.history["val_lr"]  # no validation: nothing logged under that name
    with strict_keras3(), pytest.raises(keras2_notes.Keras3StrictError, match="learning_rate"):
        history.history["lr"]


def test_embedding_input_length_declares_the_input(fresh_notes):
    # The IMDB/GloVe tutorials: `Embedding(vocab, dim, input_length=maxlen)` first, then `summary()`.
    def build():
        return keras.Sequential([keras.layers.Embedding(30, 4, input_length=6), keras.layers.Flatten(),
                                 keras.layers.Dense(1)])

    with pytest.warns(UserWarning, match="input_length"):  # Keras 3's warning stays
        build()
    keras2_notes.forget_notes()
    with warnings.catch_warnings(), recorded_notes() as notes:
        warnings.simplefilter("ignore", UserWarning)
        model = build()
        build()
    assert len(notes) == 1 and keras2_notes.IDIOMS["embedding_input_length"].since in notes[0]
    assert model.built and model.input_shape == (None, 6) and model.output_shape == (None, 1)
    assert model.count_params() == 30 * 4 + 24 + 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        inputs = keras.Input((6,))  # in a functional model the Input decides
        outputs = keras.layers.Embedding(30, 4, input_length=6)(inputs)
        # an explicit input shape wins, as in Keras 2
        first = keras.layers.Embedding(30, 4, input_length=6, input_shape=(5,))
    assert tuple(outputs.shape) == (None, 6, 4)
    assert keras.Sequential([first]).input_shape == (None, 5)
    with strict_keras3(), pytest.raises(keras2_notes.Keras3StrictError, match="keras.Input"), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        keras.layers.Embedding(30, 4, input_length=6)
