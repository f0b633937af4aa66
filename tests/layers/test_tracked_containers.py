"""Layers, variables and metrics put in a layer's list or dict attributes after it was set
(`self.blocks = []` then `append`), or nested in it, belong to the layer, as in Keras."""

import copy
import pickle

import numpy as np

import nanokeras as keras


class Blocks(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.blocks = []
        for _ in range(2):
            self.blocks.append(keras.layers.Dense(2, kernel_initializer="ones"))
        self.heads = {}
        self.heads["out"] = keras.layers.Dense(1, kernel_initializer="ones")
        self.nested = [[keras.layers.Dense(1, kernel_initializer="ones")], "relu", None]

    def call(self, x):
        for block in self.blocks:
            x = block(x)
        return self.nested[0][0](self.heads["out"](x))


def test_layers_appended_after_the_assignment_are_tracked_and_trained():
    model = Blocks()
    model(np.ones((1, 3), "float32"))
    assert len(model.layers) == 4
    assert len(model.trainable_weights) == 8
    model.compile(keras.optimizers.SGD(0.01), "mse")
    before = [w.numpy().copy() for w in model.weights]
    model.fit(np.ones((4, 3), "float32"), np.zeros((4, 1), "float32"), verbose=0)
    assert all(not np.array_equal(b, w.numpy()) for b, w in zip(before, model.weights))


def test_variables_and_metrics_appended_later_belong_to_the_layer():
    class Holder(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.scales = []
            self.scales.append(keras.Variable(np.ones(2), name="scale"))
            self.trackers = {}
            self.trackers.setdefault("seen", keras.metrics.Sum(name="seen"))

    holder = Holder()
    assert [w.name for w in holder.weights] == ["scale"]
    assert [m.name for m in holder.metrics] == ["seen"]


def test_taking_a_layer_out_untracks_it():
    model = Blocks()
    removed = model.blocks.pop()
    del model.heads["out"]
    assert all(layer is not removed for layer in model.layers)
    assert len(model.layers) == 2


def test_a_list_attribute_is_a_copy_as_in_keras():
    seen = []

    class Probe(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.seen = seen

    probe = Probe()
    probe.seen.append(1)
    assert seen == [] and probe.seen == [1] and isinstance(probe.seen, list)


def test_tracked_layers_survive_a_deep_copy():
    model = Blocks()
    model(np.ones((1, 3), "float32"))
    for clone in (copy.deepcopy(model),):
        assert len(clone.weights) == 8
        assert clone.blocks[0] is clone.layers[0]
        clone.blocks.append(keras.layers.Dense(1))
        assert clone.layers[-1] is clone.blocks[-1]


def test_a_built_layer_pickles_with_its_weights():
    model = Blocks()
    model(np.ones((1, 3), "float32"))
    clone = pickle.loads(pickle.dumps(model))
    assert [w.path for w in clone.weights] == [w.path for w in model.weights]
    assert clone.blocks[0] is clone.layers[0]
    clone.blocks.append(keras.layers.Dense(1))
    assert clone.layers[-1] is clone.blocks[-1]
