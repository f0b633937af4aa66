"""`keras.config`: settings read by what is created afterwards, debugging limits, and kept switches."""

import logging
import warnings

import numpy as np
import pytest

import nanokeras as keras


@pytest.fixture(autouse=True)
def restore_settings():
    yield
    keras.config.set_dtype_policy("float32")
    keras.config.set_floatx("float32")
    keras.config.set_max_epochs(None)
    keras.config.set_max_steps_per_epoch(None)
    keras.config.enable_interactive_logging()
    keras.config.enable_traceback_filtering()
    keras.config.set_image_data_format("channels_last")
    from nanokeras.backend import config as backend_config

    backend_config._FLASH_ATTENTION[0] = None  # Keras's "not set" (no public way back)


def test_dtype_policy_follows_floatx_until_set_and_layers_use_it():
    assert keras.config.dtype_policy() == keras.DTypePolicy("float32")
    keras.config.set_dtype_policy("float64")
    layer = keras.layers.Dense(2)
    layer.build((None, 3))
    assert layer.dtype_policy == keras.DTypePolicy("float64") and layer.kernel.dtype == np.float64
    assert layer(np.ones((1, 3), "float32")).dtype == np.float64
    assert keras.layers.Dense(2, dtype="float32").dtype == "float32"  # a layer's own dtype wins


def test_mixed_policies_are_reported_as_keras_does_and_layers_keep_float32():
    keras.config.set_dtype_policy("mixed_float16")
    policy = keras.config.dtype_policy()
    assert (policy.name, policy.compute_dtype, policy.variable_dtype) == ("mixed_float16", "float16", "float32")
    layer = keras.layers.Dense(2)
    assert repr(layer.dtype_policy) == '<DTypePolicy "mixed_float16">' and layer.dtype == "float32"
    assert layer.get_config()["dtype"]["config"] == {"name": "mixed_float16"}
    restored = keras.layers.Dense.from_config(layer.get_config())
    assert restored.dtype_policy.name == "mixed_float16"
    assert keras.layers.Dense(2, dtype=keras.DTypePolicy("mixed_bfloat16")).dtype_policy.compute_dtype == "bfloat16"


def test_bad_dtype_policies_are_clear_errors():
    with pytest.raises(ValueError, match="mixed_float16"):
        keras.config.set_dtype_policy("mixed_float17")
    with pytest.raises(ValueError, match="policy"):
        keras.config.set_dtype_policy(3)
    assert keras.config.dtype_policy().name == "float32"  # unchanged


def test_dtype_policies_serialize_and_get():
    policy = keras.dtype_policies.get({"class_name": "DTypePolicy", "config": {"name": "float64"}})
    assert policy == keras.FloatDTypePolicy("float64")
    assert keras.dtype_policies.deserialize(keras.dtype_policies.serialize(policy)) == policy
    with pytest.raises(ValueError, match="dtype policy"):
        keras.dtype_policies.get(1.5)


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_max_epochs_and_steps_cap_fit_evaluate_and_predict():
    x, y = np.ones((20, 2), "float32"), np.ones((20, 1), "float32")
    keras.config.set_max_epochs(2)
    keras.config.set_max_steps_per_epoch(3)
    seen = []
    counter = keras.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(batch))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = _model().fit(x, y, batch_size=2, epochs=5, verbose=0, callbacks=[counter])
    assert [str(w.message) for w in caught] == ["Limiting epochs to 2", "Limiting steps_per_epoch to 3"]
    assert len(history.history["loss"]) == 2 and seen == [0, 1, 2, 0, 1, 2]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert _model().predict(x, batch_size=2, verbose=0).shape == (6, 1)
    with pytest.raises(ValueError, match="max_epochs"):
        keras.config.set_max_epochs(0)


def test_interactive_logging_off_sends_progress_to_logging(capsys, caplog):
    keras.config.disable_interactive_logging()
    assert not keras.config.is_interactive_logging_enabled()
    with caplog.at_level(logging.INFO, logger="nanokeras"):
        _model().fit(np.ones((4, 2)), np.ones((4, 1)), epochs=2, verbose=2)
    assert capsys.readouterr().out == ""
    assert any("Epoch 2/2" in record.getMessage() for record in caplog.records)
    assert any("loss:" in record.getMessage() for record in caplog.records)


def test_kept_switches_read_back_what_was_set():
    assert keras.config.is_flash_attention_enabled() is None
    keras.config.enable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is True
    keras.config.disable_flash_attention()
    assert keras.config.is_flash_attention_enabled() is False
    keras.config.disable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled() is False
    assert keras.config.is_nnx_enabled() is False
    keras.config.set_backend("numpy")
    with pytest.raises(ValueError, match="numpy only"):
        keras.config.set_backend("jax")
    assert keras.config.backend() == "numpy"


def test_unsafe_deserialization_still_never_loads_code():
    from nanokeras.saving import serialization_lib

    keras.config.enable_unsafe_deserialization()
    try:
        with pytest.raises(ValueError, match="enable_unsafe_deserialization"):
            keras.saving.deserialize_keras_object({"class_name": "__lambda__", "config": {"code": "x"}})
    finally:
        serialization_lib._UNSAFE_DESERIALIZATION_REQUESTED[0] = False


def test_image_data_format_is_set_and_checked():
    keras.config.set_image_data_format("channels_first")
    assert keras.backend.image_data_format() == "channels_first"
    with pytest.raises(ValueError, match="channels_last"):
        keras.config.set_image_data_format("nhwc")


def test_clear_session_resets_what_keras_resets():
    keras.config.set_dtype_policy("float64")
    keras.config.disable_interactive_logging()
    keras.config.disable_traceback_filtering()
    keras.config.enable_flash_attention()
    keras.config.set_max_epochs(3)
    keras.config.set_floatx("float16")
    generator = keras.random.normal((1,))  # makes the global seed generator
    keras.backend.clear_session()
    assert keras.config.dtype_policy().name == "float16"  # back to floatx, which stays
    assert keras.config.is_interactive_logging_enabled() and keras.config.is_traceback_filtering_enabled()
    assert keras.config.is_flash_attention_enabled() is None and keras.config.max_epochs() == 3
    assert generator.shape == (1,)
