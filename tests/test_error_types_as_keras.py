"""Errors Keras raises with another type than nanokeras's natural one are both: code written
with Keras's `except` clause catches them, and so does the natural one."""

import numpy as np
import pytest

import nanokeras as keras


def test_load_model_on_a_missing_path_is_a_file_not_found_and_a_value_error(tmp_path):
    for kind in (FileNotFoundError, ValueError):
        with pytest.raises(kind, match="No file or directory found"):
            keras.models.load_model(str(tmp_path / "missing.keras"))


def test_to_categorical_label_past_num_classes_is_a_value_and_an_index_error():
    for kind in (ValueError, IndexError):
        with pytest.raises(kind, match="label 3, which does not fit in num_classes=2"):
            keras.utils.to_categorical([0, 3], num_classes=2)
    assert keras.utils.to_categorical([0, 1], num_classes=2).tolist() == [[1.0, 0.0], [0.0, 1.0]]


def test_adding_a_non_layer_to_a_sequential_is_a_type_and_a_value_error():
    for kind in (TypeError, ValueError):
        model = keras.Sequential()
        with pytest.raises(kind, match="expects a layer instance"):
            model.add("dense")
        assert model.layers == []


def test_an_invalid_dtype_name_is_a_type_and_a_value_error():
    for kind in (TypeError, ValueError):
        with pytest.raises(kind, match="Invalid dtype: 'floaty'"):
            keras.ops.cast(np.ones(3), "floaty")
    assert keras.ops.cast(np.ones(3), "int32").dtype == np.int32


def test_a_model_output_that_is_an_array_is_a_type_and_a_value_error():
    for kind in (TypeError, ValueError):
        with pytest.raises(kind, match="must be a KerasTensor"):
            keras.Model(keras.Input((3,)), np.ones(3))


@pytest.mark.parametrize("how", ["fit", "predict", "call"])
def test_strings_given_as_data_are_a_type_and_a_value_error(how):
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    model.compile("adam", "mse")
    strings = np.array([["a"] * 4] * 4)
    run = {"fit": lambda: model.fit(strings, np.ones((4, 3)), verbose=0),
           "predict": lambda: model.predict(strings, verbose=0), "call": lambda: model(strings)}[how]
    for kind in (TypeError, ValueError):
        with pytest.raises(kind, match="numeric"):
            run()


def test_an_uninterpretable_metric_identifier_is_a_type_and_a_value_error():
    for kind in (TypeError, ValueError):  # Keras: ValueError
        with pytest.raises(kind, match="Could not interpret metric identifier 3"):
            keras.metrics.get(3)


def test_an_optimizer_name_that_is_no_string_is_a_type_and_a_value_error():
    for kind in (TypeError, ValueError):  # Keras: ValueError
        with pytest.raises(kind, match="`name` must be a string"):
            keras.optimizers.SGD(name=5)
    assert keras.optimizers.SGD(name="plain").name == "plain"


def test_strings_given_to_a_loss_are_a_type_and_a_value_error():
    for kind in (TypeError, ValueError):  # Keras: ValueError
        with pytest.raises(kind, match="A loss expects numeric arrays"):
            keras.losses.MeanSquaredError()(np.ones((2, 2)), np.ones((2, 2)), sample_weight="x")
