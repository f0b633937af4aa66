"""Functional graphs against real Keras 3: same weights give the same outputs and gradients; same summary."""

import numpy as np
import pytest

import nanokeras as nk

RNG = np.random.default_rng(0)


def _build(lib):
    a = lib.Input((3,), name="a")
    b = lib.Input((4,), name="b")
    shared = lib.layers.Dense(5, activation="tanh", name="shared")
    x = shared(a)
    y = lib.layers.Dense(5, name="db")(b)
    cat = lib.layers.concatenate([x, y], name="cat")
    summed = lib.layers.Add(name="sum")([x, y])
    prod = lib.layers.Multiply(name="prod")([x, y])
    avg = lib.layers.Average(name="avg")([summed, prod])
    mx = lib.layers.Maximum(name="max")([avg, lib.layers.Subtract(name="sub")([x, y])])
    dot = lib.layers.Dot(axes=1, normalize=True, name="dot")([x, y])
    again = shared(lib.layers.Dense(3, name="d3")(mx))
    inner_in = lib.Input((10,), name="inner_in")
    inner = lib.Model(inner_in, lib.layers.Dense(2, activation="relu", name="inner_d")(inner_in), name="inner")
    out = lib.layers.concatenate([inner(cat), again, dot, lib.layers.Minimum(name="min")([x, y])], name="final")
    return lib.Model([a, b], [out, again], name="parity")


def _copy_weights(source, target):
    for s_layer, t_layer in zip(source.layers, target.layers):
        assert s_layer.name == t_layer.name
        t_layer.set_weights([np.asarray(w) for w in s_layer.get_weights()])


def test_layer_order_and_forward_outputs_match(keras):
    theirs, ours = _build(keras), _build(nk)
    assert [l.name for l in ours.layers] == [l.name for l in theirs.layers]
    assert ours.output_shape == [tuple(s) for s in theirs.output_shape]
    _copy_weights(theirs, ours)
    data = [RNG.normal(size=(6, 3)).astype("float32"), RNG.normal(size=(6, 4)).astype("float32")]
    for mine, ref in zip(ours(data), theirs(data)):
        np.testing.assert_allclose(mine, np.asarray(ref), rtol=1e-5, atol=1e-6)


def test_gradients_match(keras):
    import jax

    theirs, ours = _build(keras), _build(nk)
    _copy_weights(theirs, ours)
    data = [RNG.normal(size=(4, 3)).astype("float32"), RNG.normal(size=(4, 4)).astype("float32")]
    with nk.GradientTape() as tape:
        out, again = ours(data)
        loss = nk.ops.sum(nk.ops.square(out)) + nk.ops.sum(again)
    grads = tape.gradient(loss, ours.trainable_weights)

    values = [v.value for v in theirs.trainable_variables]

    def loss_fn(vals):
        out, again = theirs.stateless_call(vals, [v.value for v in theirs.non_trainable_variables], data)[0]
        return (out ** 2).sum() + again.sum()

    ref = jax.grad(loss_fn)(values)
    by_path = {v.path: np.asarray(g) for v, g in zip(theirs.trainable_variables, ref)}
    for variable, grad in zip(ours.trainable_weights, grads):
        layer_name, weight_name = variable.path.split("/")[-2:]
        match = [p for p in by_path if p.endswith(f"{layer_name}/{weight_name}")]
        assert len(match) == 1, (variable.path, list(by_path))
        np.testing.assert_allclose(np.asarray(grad), by_path[match[0]], rtol=1e-4, atol=1e-5)


def test_two_input_summary_text_matches(keras):
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        a = lib.Input((3,), name="a")
        b = lib.Input((4,), name="b")
        shared = lib.layers.Dense(5)
        x = shared(a)
        y = lib.layers.Dense(5)(b)
        z = lib.layers.concatenate([x, y])
        s = lib.layers.Add()([x, y])
        w = shared(lib.layers.Dense(3)(s))
        o = lib.layers.Dense(1, name="out")(z)
        model = lib.Model([a, b], [o, w])
        for width in (64, 70, 76):  # wider tables are cut by rich at the terminal width
            captured = []
            model.summary(line_length=width, print_fn=lambda s, **kwargs: captured.append(s))
            texts.append((lib.__name__, width, "".join(captured)))
    half = len(texts) // 2
    for (_, width, ref), (_, _, mine) in zip(texts[:half], texts[half:]):
        assert mine == ref, f"line_length={width}\n{mine}\n!=\n{ref}"


def test_chain_functional_summary_matches(keras):
    texts = []
    for lib in (keras, nk):
        lib.backend.clear_session()
        x = lib.Input((4,))
        model = lib.Model(x, lib.layers.Dense(2)(lib.layers.Dense(3)(x)))
        captured = []
        model.summary(line_length=80, print_fn=lambda s, **kwargs: captured.append(s))
        texts.append("".join(captured))
    assert texts[1] == texts[0]


@pytest.mark.parametrize("direction", ["nk_to_keras", "keras_to_nk"])
def test_saved_functional_model_loads_in_the_other_library(keras, tmp_path, direction):
    source_lib, target_lib = (nk, keras) if direction == "nk_to_keras" else (keras, nk)
    a, b = source_lib.Input((3,), name="a"), source_lib.Input((2,), name="b")
    shared = source_lib.layers.Dense(2, name="shared")
    out = source_lib.layers.Add(name="sum")([shared(a), b])
    model = source_lib.Model([a, b], [source_lib.layers.Dense(1, name="out")(out), shared(a)])
    path = str(tmp_path / "f.keras")
    model.save(path)
    loaded = target_lib.models.load_model(path)
    data = [RNG.normal(size=(3, 3)).astype("float32"), RNG.normal(size=(3, 2)).astype("float32")]
    assert [l.name for l in loaded.layers] == [l.name for l in model.layers]
    for mine, ref in zip(loaded(data), model(data)):
        np.testing.assert_allclose(np.asarray(mine), np.asarray(ref), rtol=1e-5, atol=1e-6)


def test_model_from_config_rebuilds_a_functional_model_from_keras(keras):
    a = keras.Input((3,), name="a")
    b = keras.Input((2,), name="b")
    h = keras.layers.Concatenate()([keras.layers.Dense(4, activation="relu")(a), b])
    real = keras.Model([a, b], keras.layers.Dense(1, name="out")(h))
    ours = nk.Model.from_config(real.get_config())
    assert isinstance(ours, nk.Model) and [l.name for l in ours.layers] == [l.name for l in real.layers]
    ours.set_weights(real.get_weights())
    xa, xb = np.ones((2, 3), "float32"), np.full((2, 2), 0.5, "float32")
    np.testing.assert_allclose(ours.predict([xa, xb], verbose=0), real.predict([xa, xb], verbose=0), rtol=1e-6)
    again = nk.Model.from_config(ours.get_config())
    assert [l.name for l in again.layers] == [l.name for l in ours.layers]


def test_input_and_output_shapes_of_dict_and_list_models(keras):
    shapes = []
    for lib in (keras, nk):
        first, second = lib.Input((2,), name="b"), lib.Input((3,), name="a")
        merged = lib.layers.concatenate([first, second])
        by_name = lib.Model({"b": first, "a": second},
                            {"z": lib.layers.Dense(1, name="z")(merged), "y": lib.layers.Dense(2, name="y")(merged)})
        listed = lib.Model([first, second], [lib.layers.Dense(4)(merged)])
        single = lib.Model(first, lib.layers.Dense(4)(first))
        shapes.append([by_name.input_shape, by_name.output_shape, listed.input_shape, listed.output_shape,
                       single.input_shape, single.output_shape])
    theirs, ours = shapes
    assert ours == theirs
