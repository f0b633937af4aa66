"""Small things a learner sees printed, against real Keras 3: model names after Sequentials were
built, summary tables wider than the console, and the key order of `predict`'s dicts."""

import numpy as np
import pytest

import nanokeras as nk


def _model_names(lib, tmp_path):
    """The automatic names of functional models made between Sequential builds, rebuilds and loads."""
    lib.backend.clear_session()
    layers = lib.layers

    def functional():
        x = lib.Input((3,))
        return lib.Model(x, layers.Dense(1)(x)).name

    names = [functional()]
    model = lib.Sequential([lib.Input((3,)), layers.Dense(2), layers.Dense(1)])
    names += [model.name, functional()]
    model = lib.Sequential()
    model.add(lib.Input((3,)))
    model.add(layers.Dense(2))
    model.add(layers.Dense(1))
    names.append(functional())
    model = lib.Sequential([layers.Dense(2), layers.Dense(1)])
    names.append(functional())
    model.predict(np.ones((1, 3)), verbose=0)
    names.append(functional())
    model.pop()
    names.append(functional())
    model = lib.Sequential([layers.Dense(2), layers.Dense(1)])
    model.build((None, 3))
    names.append(functional())
    path = str(tmp_path / f"{lib.__name__}.keras")
    model.save(path)
    loaded = lib.models.load_model(path)
    names += [loaded.name, functional()]
    return names


def test_functional_names_after_sequential_builds_match_keras(keras, tmp_path):
    assert _model_names(nk, tmp_path) == _model_names(keras, tmp_path)


@pytest.mark.parametrize("columns", ["80", "100"])
@pytest.mark.parametrize("line_length", [60, 120])
def test_summary_wider_than_the_console_is_cut_as_keras_cuts_it(keras, monkeypatch, capsys, columns, line_length):
    monkeypatch.setenv("COLUMNS", columns)
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        model = lib.Sequential([lib.Input((28, 28, 1)), lib.layers.Conv2D(4, 3, name="a_rather_long_layer_name"),
                                lib.layers.Flatten(), lib.layers.Dense(10)])
        capsys.readouterr()
        model.summary(line_length=line_length)
        texts.append(capsys.readouterr().out)
    assert texts[1] == texts[0]


def test_predict_hands_back_dicts_with_sorted_keys_as_keras(keras):
    keys = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        x = lib.Input((4,), name="x")
        model = lib.Model(x, {"b": lib.layers.Dense(1, name="b")(x), "a": lib.layers.Dense(2, name="a")(x)})
        data = np.ones((5, 4), "float32")
        keys.append((list(model.predict(data, batch_size=2, verbose=0)), list(model.predict_on_batch(data)),
                     list(model(data))))
    assert keys[1] == keys[0]


@pytest.mark.filterwarnings("ignore:Do not pass an `input_shape`")
def test_summary_shows_the_stack_shapes_of_layers_built_before_stacking(keras, capsys):
    # The TF regression tutorial: a Normalization adapted on a vector, then stacked on input_shape=[1].
    texts = []
    horsepower = np.random.default_rng(0).uniform(46, 230, 160)
    for lib in (keras, nk):
        lib.backend.clear_session()
        normalizer = lib.layers.Normalization(input_shape=[1], axis=None)
        normalizer.adapt(horsepower)
        dense = lib.layers.Dense(4)
        dense.build((None, 1))
        model = lib.Sequential([normalizer, dense, lib.layers.Dense(1)])
        capsys.readouterr()
        model.summary()
        texts.append(capsys.readouterr().out)
    assert "(None, 1)" in texts[0]
    assert texts[1] == texts[0]


def test_summary_of_models_with_transposed_convolutions_prints_as_keras(keras, capsys):
    # A decoder or DCGAN generator: compute_output_shape of the transposed convolutions is a list.
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()

        class Decoder(lib.Model):
            def __init__(self):
                super().__init__()
                self.up = lib.layers.Conv2DTranspose(2, 3)

            def call(self, x):
                return self.up(x)

        capsys.readouterr()
        lib.Sequential([lib.Input((7, 7, 4)), lib.layers.Conv2DTranspose(8, 3, strides=2, padding="same"),
                        lib.layers.Conv2D(1, 3, padding="same")]).summary()
        stacked = lib.Sequential([lib.layers.Conv1DTranspose(4, 3)])
        stacked.build((None, 10, 2))
        stacked.summary()
        decoder = Decoder()
        decoder(np.ones((1, 5, 5, 1), "float32"))
        decoder.summary()
        texts.append(capsys.readouterr().out)
    assert texts[1] == texts[0]


def _symbolic_tensor_prints(lib):
    """How symbolic tensors print: named inputs, then unnamed layer and op outputs."""
    lib.backend.clear_session()
    x = lib.Input(shape=(3,), name="inp")
    y = lib.layers.Dense(2, name="d")(x)
    z = lib.layers.Dense(4)(lib.layers.Concatenate()([y, x]))
    w = lib.ops.sum(z, axis=-1) + 1.0
    model = lib.Model(x, [z, w])
    return [repr(t) for t in (x, y, z, w)] + [str(model.outputs)]


def test_symbolic_tensors_print_and_are_named_as_in_keras(keras):
    assert _symbolic_tensor_prints(nk) == _symbolic_tensor_prints(keras)
