"""A Sequential takes one input: a list of several arrays is refused with the shapes, everywhere."""

import numpy as np
import pytest

import nanokeras as keras


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile("adam", "mse")
    return model


CALLS = {
    "call": lambda m, xs: m(xs),
    "predict": lambda m, xs: m.predict(xs, verbose=0),
    "fit": lambda m, xs: m.fit(xs, np.ones((4, 3)), verbose=0),
    "evaluate": lambda m, xs: m.evaluate(xs, np.ones((4, 3)), verbose=0),
    "train_on_batch": lambda m, xs: m.train_on_batch(xs, np.ones((4, 3))),
    "predict_on_batch": lambda m, xs: m.predict_on_batch(xs),
}


@pytest.mark.parametrize("how", sorted(CALLS))
def test_a_list_of_two_arrays_is_refused_with_the_shapes_and_changes_nothing(how):
    model = _model()
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match=r"takes one input of shape \(None, 4\).*list of 2 arrays.*functional"):
        CALLS[how](model, [np.ones((4, 4), "float32"), np.ones((4, 4), "float32")])
    for old, new in zip(before, model.get_weights()):
        np.testing.assert_array_equal(old, new)
    assert model.optimizer.iterations.numpy() == 0


def test_an_unbuilt_sequential_refuses_several_arrays_and_stays_unbuilt():
    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(ValueError, match="takes one input array, but it was given a list of 2 arrays"):
        model([np.ones((2, 3)), np.ones((2, 3))])
    assert not model.built
    assert model(np.ones((2, 3))).shape == (2, 2)


def test_one_array_in_a_list_and_nested_lists_of_numbers_are_still_one_input():
    model = _model()
    assert model([np.ones((2, 4))]).shape == (2, 3)
    assert model([[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]).shape == (2, 3)


def test_a_nested_model_with_one_output_in_a_list_stacks_in_a_sequential(tmp_path):
    inputs = keras.Input((3,))
    inner = keras.Model(inputs, [keras.layers.Dense(2)(inputs)])
    model = keras.Sequential([keras.Input((3,)), inner, keras.layers.Dense(1)])
    assert model.output_shape == (None, 1)
    assert model(np.ones((2, 3))).shape == (2, 1)
    model.compile("sgd", "mse")
    model.fit(np.ones((4, 3)), np.ones((4, 1)), verbose=0)
    model.save(str(tmp_path / "m.keras"))
    loaded = keras.models.load_model(str(tmp_path / "m.keras"))
    np.testing.assert_allclose(loaded.predict(np.ones((2, 3)), verbose=0), model.predict(np.ones((2, 3)), verbose=0))
    assert keras.Sequential([keras.Input((3,)), inner]).output_shape == (None, 2)
