"""`keras.config`, `keras.backend` dtype helpers and dtype policies against real Keras."""

import itertools

import pytest

import nanokeras

DTYPES = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "float16", "bfloat16", "float32",
          "complex64", int, float, None]


def test_defaults_match_keras(keras):
    for name in ("floatx", "epsilon", "image_data_format", "is_traceback_filtering_enabled",
                 "is_flash_attention_enabled", "is_interactive_logging_enabled", "max_epochs",
                 "max_steps_per_epoch", "is_nnx_enabled"):
        assert getattr(nanokeras.config, name)() == getattr(keras.config, name)(), name
    assert repr(nanokeras.config.dtype_policy()) == repr(keras.config.dtype_policy())


@pytest.mark.parametrize("a,b", list(itertools.product(DTYPES, DTYPES)))
def test_result_type_matches_keras(keras, a, b):
    # The one difference: Keras on JAX narrows 64-bit results (uint32 + int32 -> int32); nanokeras keeps them.
    narrowed = {"int64": "int32", "uint64": "uint32", "float64": "float32", "complex128": "complex64"}
    ours = nanokeras.backend.result_type(a, b)
    assert narrowed.get(ours, ours) == keras.backend.result_type(a, b)


def test_result_type_keeps_64_bit_types_where_keras_on_jax_narrows_them(keras):
    # Keras on JAX (and on numpy) maps 64-bit results to 32 bits; nanokeras computes in float64 when asked.
    assert keras.backend.result_type("float64", "float32") == "float32"
    assert nanokeras.backend.result_type("float64", "float32") == "float64"
    assert nanokeras.backend.result_type("int64", "int8") == "int64"


@pytest.mark.parametrize("dtype", ["bool", "uint8", "int64", "float16", "bfloat16", "float64", "complex64", int, float])
def test_dtype_kind_helpers_match_keras(keras, dtype):
    assert nanokeras.backend.is_float_dtype(dtype) == keras.backend.is_float_dtype(dtype)
    assert nanokeras.backend.is_int_dtype(dtype) == keras.backend.is_int_dtype(dtype)


@pytest.mark.parametrize("name", ["float32", "float64", "float16", "mixed_float16", "mixed_bfloat16"])
def test_dtype_policies_match_keras(keras, name):
    ours, theirs = nanokeras.DTypePolicy(name), keras.DTypePolicy(name)
    assert (repr(ours), ours.name, ours.compute_dtype, ours.variable_dtype, ours.get_config()) == (
        repr(theirs), theirs.name, theirs.compute_dtype, theirs.variable_dtype, theirs.get_config())
    assert nanokeras.dtype_policies.serialize(ours) == keras.dtype_policies.serialize(theirs)
    # A layer's config names its policy as Keras writes it, and each reads the other's.
    ours_config = nanokeras.layers.Dense(2, dtype=name).get_config()["dtype"]
    assert ours_config == keras.layers.Dense(2, dtype=name).get_config()["dtype"]
    assert keras.layers.Dense.from_config(nanokeras.layers.Dense(2, dtype=name).get_config()).dtype_policy.name == name


def test_clear_session_resets_what_keras_resets(keras):
    def settings(m):
        return (m.config.dtype_policy().name, m.config.is_interactive_logging_enabled(),
                m.config.is_traceback_filtering_enabled(), m.config.is_flash_attention_enabled(),
                m.config.max_epochs(), m.config.floatx())

    results = []
    for m in (nanokeras, keras):
        m.config.set_dtype_policy("float64")
        m.config.disable_interactive_logging()
        m.config.disable_traceback_filtering()
        m.config.enable_flash_attention()
        m.config.set_max_epochs(3)
        m.backend.clear_session()
        results.append(settings(m))
        m.config.set_max_epochs(None)
        m.backend.clear_session()
    assert results[0] == results[1]
