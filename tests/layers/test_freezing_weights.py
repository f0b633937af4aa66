"""`layer.trainable = False` freezes the layer's weights themselves, as in Keras: their
`trainable` flag follows (only those made trainable), so code that picks `v.trainable` weights
leaves a frozen layer alone."""

import numpy as np

import nanokeras as keras


def _frozen_model():
    base = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4), keras.layers.BatchNormalization()])
    return base, keras.Sequential([keras.Input((3,)), base, keras.layers.Dense(1)])


def test_freezing_a_layer_freezes_its_weights_and_unfreezing_restores_them():
    base, model = _frozen_model()
    base.trainable = False
    assert [w.trainable for w in base.weights] == [False] * 6
    assert [w.trainable for w in model.weights] == [False] * 6 + [True, True]
    base.trainable = True
    # kernel, bias, gamma, beta again; the moving mean and variance were never trainable
    assert [w.trainable for w in base.weights] == [True, True, True, True, False, False]


def test_a_loop_over_trainable_flags_leaves_a_frozen_layer_unchanged():
    base, model = _frozen_model()
    base.trainable = False
    before = base.get_weights()
    chosen = [v for v in model.weights if v.trainable]
    x, y = np.ones((4, 3), "float32"), np.ones((4, 1), "float32")
    with keras.GradientTape() as tape:
        loss = keras.ops.mean((model(x) - y) ** 2)
    keras.optimizers.SGD(0.1).apply_gradients(zip(tape.gradient(loss, chosen), chosen))
    assert all(np.array_equal(a, b) for a, b in zip(before, base.get_weights()))


def test_freezing_keeps_the_saved_weight_order():
    layer = keras.layers.BatchNormalization()
    layer.build((None, 2))
    names = [w.name for w in layer.weights]
    layer.trainable = False
    assert [w.name for w in layer.weights] == names
    assert [w.name for w in layer.non_trainable_weights] == names


def test_a_pickled_layer_keeps_the_order_of_its_weights():
    import pickle

    layer = keras.layers.BatchNormalization()
    layer.build((None, 3))
    clone = pickle.loads(pickle.dumps(layer))
    assert [w.name for w in clone.weights] == ["gamma", "beta", "moving_mean", "moving_variance"]
    clone.trainable = False
    clone.trainable = True
    assert [w.name for w in clone.trainable_weights] == ["gamma", "beta"]
