"""Loading is linear in the file's size and bounded in depth and memory (issue 15).

The huge files are generated on the fly and loaded in a subprocess whose CPU time
and address space are capped with `resource`, so a regression fails the test
instead of hanging or exhausting the machine.
"""

import json
import os
import pathlib
import subprocess
import sys
import textwrap
import zipfile

import numpy as np
import pytest

import nanokeras as keras
from nanokeras import saving

pytest.importorskip("resource")  # POSIX only (the subprocesses cap themselves with it)

REPO = str(pathlib.Path(keras.__file__).resolve().parent.parent)


def _run_bounded(code, cpu_seconds=60, memory_bytes=3 * 2**30):
    """Runs `code` in a fresh interpreter using this checkout, under CPU-time and memory caps.

    The child sets its own limits first (a `preexec_fn` would fork this multithreaded process).
    """
    limits = (f"import resource\n"
              f"resource.setrlimit(resource.RLIMIT_CPU, ({cpu_seconds}, {cpu_seconds}))\n"
              f"resource.setrlimit(resource.RLIMIT_AS, ({memory_bytes}, {memory_bytes}))\n")
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-c", limits + textwrap.dedent(code)], capture_output=True, text=True,
                          env=env, timeout=cpu_seconds * 4, cwd=REPO)


def _keras_archive(path, config, weights=None):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        archive.writestr("config.json", config if isinstance(config, str) else json.dumps(config))
        if weights is not None:
            archive.writestr("model.weights.h5", weights)


def _layer(class_name, config):
    return {"module": "keras.layers", "class_name": class_name, "config": config, "registered_name": None}


def _sequential(layers, input_shape=(None, 1)):
    entries = [_layer("InputLayer", {"batch_shape": list(input_shape), "name": "in"})] + layers
    return {"module": "keras", "class_name": "Sequential", "config": {"name": "s", "layers": entries},
            "registered_name": None}


LOAD = """
    import sys, nanokeras as keras
    try:
        keras.saving.load_model(sys.argv[1] if len(sys.argv) > 1 else {path!r})
    except ValueError as error:
        print("VALUEERROR", error)
    else:
        print("LOADED")
"""


def test_a_config_with_100000_layers_is_refused_quickly(tmp_path):
    path = tmp_path / "many.keras"
    _keras_archive(path, _sequential([_layer("Dense", {"name": f"d{i}", "units": 1}) for i in range(100_000)]))
    result = _run_bounded(LOAD.format(path=str(path)), cpu_seconds=30)
    assert "VALUEERROR" in result.stdout, result.stderr[-2000:]
    assert "max_layers=20,000" in result.stdout and str(path) in result.stdout


def test_the_largest_allowed_layer_count_loads_in_linear_time(tmp_path):
    # 20,000 layers (the limit, the input layer included) took ~60 s when Sequential.add
    # scanned every earlier layer.
    path = tmp_path / "allowed.keras"
    _keras_archive(path, _sequential([_layer("Dropout", {"name": f"d{i}", "rate": 0.5}) for i in range(19_999)]))
    result = _run_bounded(LOAD.format(path=str(path)), cpu_seconds=40)
    assert result.stdout.strip() == "LOADED", result.stderr[-2000:]


def test_json_nested_beyond_the_parser_is_a_value_error(tmp_path):
    path = tmp_path / "deep.keras"
    _keras_archive(path, "[" * 100_000 + "]" * 100_000)
    result = _run_bounded(LOAD.format(path=str(path)), cpu_seconds=30)
    assert "VALUEERROR" in result.stdout, result.stderr[-2000:]
    assert "max_depth" in result.stdout and "RecursionError" not in result.stdout + result.stderr


def test_json_nested_900_levels_is_refused_before_deserializing(tmp_path):
    path = tmp_path / "deep900.keras"
    _keras_archive(path, '{"class_name": "Sequential", "config": ' + "[" * 900 + "]" * 900 + "}")
    with pytest.raises(ValueError, match=r"nested more than 100 levels.*max_depth=100") as info:
        saving.load_model(path)
    assert str(path) in str(info.value)


def test_a_huge_declared_weight_is_refused_before_allocation(tmp_path):
    path = tmp_path / "huge.keras"
    _keras_archive(path, _sequential([_layer("Dense", {"name": "d", "units": 10**12})], input_shape=(None, 4)))
    # 3 GiB of address space: allocating the 14.6 TiB kernel (or even 4 GB) cannot succeed.
    result = _run_bounded(LOAD.format(path=str(path)), cpu_seconds=30)
    assert "VALUEERROR" in result.stdout, result.stderr[-2000:]
    assert "layer 'd' asks for a weight of shape (4, 1000000000000)" in result.stdout
    assert "weight_slack_bytes" in result.stdout and "MemoryError" not in result.stderr


def test_the_limits_are_configurable_and_restored(tmp_path):
    path = tmp_path / "three.keras"
    _keras_archive(path, _sequential([_layer("Dropout", {"name": f"d{i}", "rate": 0.5}) for i in range(3)]))
    with saving.load_limits(max_layers=2):
        with pytest.raises(ValueError, match="max_layers=2"):
            saving.load_model(path)
    assert len(saving.load_model(path).layers) == 3
    with pytest.raises(ValueError, match="positive int"):
        saving.set_load_limits(max_depth=0)
    with pytest.raises(TypeError, match="unknown limit 'max_size'"):
        saving.set_load_limits(max_size=1)
    assert saving.get_load_limits() == {"max_layers": 20_000, "max_depth": 100, "weight_slack_bytes": 64 * 2**20}


def test_weights_within_the_file_load_and_the_slack_is_what_allows_more(tmp_path):
    model = keras.Sequential([keras.Input((300,)), keras.layers.Dense(300)])
    path = tmp_path / "m.keras"
    model.save(path)
    assert saving.load_model(path).layers[0].kernel.shape == (300, 300)
    with zipfile.ZipFile(path) as archive:
        config = json.loads(archive.read("config.json"))
    config["config"]["layers"][1]["config"]["units"] = 3000  # ~3.6 MB of kernel, the file stores ~0.4 MB
    bigger = tmp_path / "bigger.keras"
    _keras_archive(bigger, config)
    with saving.load_limits(weight_slack_bytes=1024):
        with pytest.raises(ValueError, match="declares more weights than it holds"):
            saving.load_model(bigger)
    # With the default slack the layer is built, and the missing weights are the error.
    with pytest.raises(ValueError, match="no model.weights.h5"):
        saving.load_model(bigger)


@pytest.mark.parametrize("config", [
    {"class_name": "Sequential", "config": {"name": "s", "layers": [7, 8]}},
    {"class_name": "Functional", "config": {"name": "f", "layers": [{"class_name": "InputLayer"}]}},
    {"class_name": "Functional", "config": {
        "name": "f", "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "name": "a",
             "config": {"batch_shape": [None, 2], "name": "a"}, "inbound_nodes": []},
            {"module": "keras.layers", "class_name": "Dense", "name": "d", "config": {"units": 1, "name": "d"},
             "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {"keras_history": ["a"]}}]}]}],
        "input_layers": [["a", 0, 0]], "output_layers": [["d", 0, 0]]}},
    {"class_name": "Functional", "config": {
        "name": "f", "layers": [
            {"module": "keras.layers", "class_name": "InputLayer", "name": "a",
             "config": {"batch_shape": [None, 2], "name": "a"}, "inbound_nodes": []}],
        "input_layers": [["a", 0, 5]], "output_layers": [["zz", 0, 0]]}},
    {"class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense", "config": {}}]}},
    {"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_shape": 3}}]}},
])
def test_malformed_configs_are_value_errors_naming_the_file(tmp_path, config):
    path = tmp_path / "bad.keras"
    _keras_archive(path, config)
    with pytest.raises(ValueError) as info:
        saving.load_model(path)
    assert str(path) in str(info.value)


def test_nan_and_inf_weights_warn_once_naming_the_variables(tmp_path):
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3), keras.layers.Dense(1)])
    kernel, bias = model.layers[0].get_weights()
    kernel[0, 0] = np.nan
    bias[1] = np.inf
    model.layers[0].set_weights([kernel, bias])
    path = tmp_path / "nan.keras"
    model.save(path)
    with pytest.warns(UserWarning) as record:
        restored = saving.load_model(path)
    messages = [str(w.message) for w in record if "NaN or infinite" in str(w.message)]
    assert len(messages) == 1
    assert "'dense/kernel'" in messages[0] and "'dense/bias'" in messages[0] and "dense_1" not in messages[0]
    assert np.isnan(restored.layers[0].kernel.numpy()[0, 0])
    weights_path = tmp_path / "nan.weights.h5"
    model.save_weights(weights_path)
    with pytest.warns(UserWarning, match="2 variable"):
        model.load_weights(weights_path)
