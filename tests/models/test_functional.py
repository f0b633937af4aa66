"""Functional API: graph construction, execution, structure, errors, saving, plot_model."""

import os

import numpy as np
import pytest

import nanokeras as keras


def _two_input_model():
    a = keras.Input((3,), name="a")
    b = keras.Input((4,), name="b")
    shared = keras.layers.Dense(5, name="shared")
    x = shared(a)
    y = keras.layers.Dense(5, name="db")(b)
    merged = keras.layers.concatenate([x, y], name="cat")
    summed = keras.layers.Add(name="sum")([x, y])
    again = shared(keras.layers.Dense(3, name="d3")(summed))
    out = keras.layers.Dense(1, name="out")(merged)
    return keras.Model([a, b], [out, again], name="two")


def test_model_runs_graph_like_manual_composition():
    model = _two_input_model()
    rng = np.random.default_rng(0)
    xa, xb = rng.normal(size=(6, 3)).astype("float32"), rng.normal(size=(6, 4)).astype("float32")
    out, again = model([xa, xb])
    L = {layer.name: layer for layer in model.layers}
    x, y = L["shared"](xa), L["db"](xb)
    np.testing.assert_allclose(out, L["out"](np.concatenate([x, y], -1)), rtol=1e-6)
    np.testing.assert_allclose(again, L["shared"](L["d3"](x + y)), rtol=1e-6)


def test_layers_order_inputs_outputs_and_shapes():
    model = _two_input_model()
    assert [l.name for l in model.layers] == ["a", "b", "shared", "db", "sum", "cat", "d3", "out"]
    assert model.input_shape == [(None, 3), (None, 4)]
    assert model.output_shape == [(None, 1), (None, 5)]
    assert [t.name for t in model.inputs] == ["a", "b"]
    assert len(model.outputs) == 2 and isinstance(model.output, list)
    assert model.get_layer("cat").output.shape == (None, 10)
    # the shared layer has one set of weights, used by two nodes
    assert len(model.get_layer("shared").weights) == 2
    assert len(model.trainable_weights) == 2 * 4  # shared, db, d3, out


def test_keyword_constructor_and_single_io():
    x = keras.Input((2,))
    y = keras.layers.Dense(3)(x)
    model = keras.Model(inputs=x, outputs=y, name="kw")
    assert model.name == "kw" and model.input is x and model.output is y
    assert model(np.ones((4, 2))).shape == (4, 3)
    assert isinstance(model, keras.Model)


def test_dict_inputs_and_outputs():
    a, b = keras.Input((2,), name="left"), keras.Input((2,), name="right")
    s = keras.layers.Add()([a, b])
    model = keras.Model({"left": a, "right": b}, {"sum": s, "diff": keras.layers.subtract([a, b])})
    out = model({"left": np.ones((3, 2)), "right": np.full((3, 2), 2.0)})
    assert set(out) == {"sum", "diff"}
    np.testing.assert_allclose(out["sum"], 3.0)
    np.testing.assert_allclose(out["diff"], -1.0)
    with pytest.raises(ValueError, match="missing input"):
        model({"left": np.ones((3, 2))})


def test_wrong_number_of_inputs_is_a_clear_error():
    model = _two_input_model()
    with pytest.raises(ValueError, match="expects 2 input"):
        model([np.ones((2, 3))])


def test_intermediate_output_model_shares_weights():
    model = _two_input_model()
    sub = keras.Model(model.inputs, model.get_layer("sum").output)
    xa, xb = np.ones((2, 3), "float32"), np.ones((2, 4), "float32")
    expected = model.get_layer("shared")(xa) + model.get_layer("db")(xb)
    np.testing.assert_allclose(sub([xa, xb]), expected, rtol=1e-6)
    one = keras.Model(model.input, model.layers[2].output)
    assert one.output_shape == (None, 5)


def test_sequential_exposes_symbolic_graph():
    seq = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, name="h"), keras.layers.Dense(1)])
    assert seq.output.shape == (None, 1)
    feat = keras.Model(seq.input, seq.layers[0].output)
    x = np.ones((2, 4), "float32")
    np.testing.assert_allclose(feat(x), seq.layers[0](x))


def test_nested_models_as_layers():
    inner_in = keras.Input((3,))
    inner = keras.Model(inner_in, keras.layers.Dense(2, activation="relu")(inner_in), name="inner")
    seq = keras.Sequential([keras.layers.Dense(4)], name="seq")
    x = keras.Input((3,))
    y = seq(inner(x))
    model = keras.Model(x, y)
    assert [l.name for l in model.layers][1:] == ["inner", "seq"]
    data = np.random.default_rng(1).normal(size=(5, 3)).astype("float32")
    np.testing.assert_allclose(model(data), seq(inner(data)), rtol=1e-6)
    assert len(model.trainable_weights) == 4


def test_operators_and_ops_on_keras_tensors():
    x = keras.Input((3,))
    h = keras.layers.Dense(3)(x)
    y = -(h * 2 + x[:, :1]) / 4 - 1
    model = keras.Model(x, y)
    data = np.arange(6, dtype="float32").reshape(2, 3)
    hv = model.layers[1](data)
    np.testing.assert_allclose(model(data), -(hv * 2 + data[:, :1]) / 4 - 1, rtol=1e-6)
    assert [l.name for l in model.layers] == [model.layers[0].name, model.layers[1].name]


def test_shape_error_names_both_layers():
    x = keras.Input((5,))
    d3 = keras.layers.Dense(3, name="takes3")
    d3(keras.Input((3,)))
    producer = keras.layers.Dense(4, name="makes4")(x)
    with pytest.raises(ValueError, match="takes3.*makes4"):
        d3(producer)


def test_disconnected_graph_and_bad_arguments():
    a, b = keras.Input((2,)), keras.Input((2,))
    y = keras.layers.Dense(1)(b)
    with pytest.raises(ValueError, match="disconnected"):
        keras.Model(a, y)
    with pytest.raises(TypeError, match="KerasTensor"):
        keras.Model(a, np.ones(2))


def test_symbolic_tensor_has_no_values():
    x = keras.Input((2,))
    with pytest.raises(TypeError, match="symbolic"):
        np.asarray(x)
    with pytest.raises(TypeError, match="bool"):
        bool(x)


def test_gradients_flow_through_graph():
    model = _two_input_model()
    xa, xb = np.ones((2, 3), "float32"), np.ones((2, 4), "float32")
    with keras.GradientTape() as tape:
        out, again = model([xa, xb])
        loss = keras.ops.sum(out) + keras.ops.sum(again)
    grads = tape.gradient(loss, model.trainable_weights)
    assert all(g is not None for g in grads)
    # finite difference on one weight entry
    w = model.get_layer("db").kernel
    eps = 1e-3
    base = w.numpy()
    vals = []
    for sign in (1, -1):
        bumped = base.copy()
        bumped[0, 0] += sign * eps
        w.assign(bumped)
        o, a = model([xa, xb])
        vals.append(float(np.sum(o) + np.sum(a)))
    w.assign(base)
    index = [id(v) for v in model.trainable_weights].index(id(w))
    np.testing.assert_allclose(np.asarray(grads[index])[0, 0], (vals[0] - vals[1]) / (2 * eps), rtol=1e-2)


def test_fit_single_input_functional():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 3)).astype("float32")
    y = (x.sum(1, keepdims=True) > 0).astype("float32")
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(1, activation="sigmoid")(keras.layers.Dense(8, activation="relu")(inp)))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=3, batch_size=16, verbose=0)
    assert len(history.history["loss"]) == 3
    assert model.predict(x, verbose=0).shape == (64, 1)


def test_predict_gives_dicts_with_sorted_keys():
    x = keras.Input((3,))
    model = keras.Model(x, {"z": keras.layers.Dense(1)(x), "a": {"y": keras.layers.Dense(2)(x), "b": x}})
    data = np.ones((5, 3), "float32")
    assert list(model(data)) == ["z", "a"]  # a call keeps the model's structure
    for outputs in (model.predict(data, batch_size=2, verbose=0), model.predict_on_batch(data)):
        assert list(outputs) == ["a", "z"] and list(outputs["a"]) == ["b", "y"]
        assert outputs["a"]["y"].shape == (5, 2)


def test_summary_has_connected_to_column(monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")  # a console wide enough for the table (a narrower one cuts it)
    lines = []
    _two_input_model().summary(line_length=100, print_fn=lambda s, **k: lines.append(s))
    text = "".join(lines)
    assert "Connected to" in text and "shared[0][0]" in text and "d3[0][0]" in text


def test_chain_summary_uses_three_columns():
    x = keras.Input((2,))
    model = keras.Model(x, keras.layers.Dense(1)(x))
    lines = []
    model.summary(print_fn=lambda s, **k: lines.append(s))
    assert "Connected to" not in lines[0] and "InputLayer" in lines[0]


def test_save_and_load_round_trip(tmp_path):
    model = _two_input_model()
    path = os.path.join(tmp_path, "f.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    data = [np.ones((2, 3), "float32"), np.ones((2, 4), "float32")]
    for a, b in zip(model(data), loaded(data)):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
    config = model.get_config()
    assert config["input_layers"] == [["a", 0, 0], ["b", 0, 0]]
    assert config["output_layers"] == [["out", 0, 0], ["shared", 1, 0]]


def test_functional_subclass_init():
    class Wrapped(keras.Model):
        def __init__(self):
            inp = keras.Input((2,))
            super().__init__(inp, keras.layers.Dense(3)(inp), name="wrapped")

    model = Wrapped()
    assert isinstance(model, Wrapped) and model.output_shape == (None, 3)
    assert model(np.ones((1, 2))).shape == (1, 3)


def test_plot_model_with_matplotlib(tmp_path):
    pytest.importorskip("matplotlib")
    path = os.path.join(tmp_path, "model.png")
    keras.utils.plot_model(_two_input_model(), to_file=path, show_shapes=True)
    with open(path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"


def test_plot_model_without_backends_says_what_to_install(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name.split(".")[0] in ("pydot", "matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match="pip install matplotlib"):
        keras.utils.plot_model(_two_input_model(), to_file=os.path.join(tmp_path, "m.png"))


def test_keras_ops_on_symbolic_tensors_build_graph_steps():
    x = keras.Input((3,))
    y = keras.ops.exp(x) * 2
    z = keras.ops.concatenate([x, y], axis=-1)
    model = keras.Model(x, [y, z])
    data = np.arange(6, dtype="float32").reshape(2, 3)
    out_y, out_z = model.predict(data, verbose=0)
    np.testing.assert_allclose(out_y, np.exp(data) * 2, rtol=1e-6)
    np.testing.assert_allclose(out_z, np.concatenate([data, np.exp(data) * 2], axis=-1), rtol=1e-6)


def test_get_layer_without_name_or_index_says_what_it_needs():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, name="d")])
    with pytest.raises(ValueError, match="needs a layer `name` or an `index`"):
        model.get_layer()
    assert model.get_layer(index=0) is model.get_layer("d")
