"""A learning-rate schedule in an optimizer's config is written as `serialize_keras_object` writes
it (as Keras does): a user's schedule under its own module and registered name, not under
`keras.optimizers.schedules`; and it comes back from a config or a saved model."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.optimizers import schedules


class Halving(schedules.LearningRateSchedule):
    def __init__(self, initial=0.1, every=2):
        self.initial, self.every = initial, every

    def __call__(self, step):
        return self.initial * 0.5 ** keras.ops.floor(keras.ops.cast(step, "float32") / self.every)

    def get_config(self):
        return {"initial": self.initial, "every": self.every}


@keras.saving.register_keras_serializable(package="sched_test")
class RegisteredHalving(Halving):
    pass


def test_a_users_schedule_is_written_as_serialize_keras_object_writes_it():
    schedule = Halving(0.2, 3)
    expected = keras.saving.serialize_keras_object(schedule)
    assert expected["module"] == __name__ and expected["registered_name"] == "Halving"
    assert keras.optimizers.Adam(schedule).get_config()["learning_rate"] == expected
    assert schedules.serialize(schedule) == expected


def test_a_registered_schedule_carries_its_registered_name():
    config = keras.optimizers.SGD(RegisteredHalving()).get_config()["learning_rate"]
    assert config["registered_name"] == "sched_test>RegisteredHalving"
    assert config["class_name"] == "RegisteredHalving"


def test_built_in_schedules_keep_the_keras_module():
    config = schedules.serialize(schedules.ExponentialDecay(0.1, 10, 0.9))
    assert config["module"] == "keras.optimizers.schedules" and config["registered_name"] is None


def test_from_config_finds_a_registered_schedule_or_one_of_custom_objects():
    restored = keras.optimizers.Adam.from_config(keras.optimizers.Adam(RegisteredHalving(0.3, 4)).get_config())
    assert isinstance(restored._learning_rate, RegisteredHalving)
    assert restored._learning_rate.get_config() == {"initial": 0.3, "every": 4}
    config = keras.optimizers.Adam(Halving(0.3, 4)).get_config()
    with pytest.raises(ValueError, match="Unknown learning rate schedule: 'Halving'"):
        keras.optimizers.Adam.from_config(config)
    restored = keras.optimizers.Adam.from_config(config, custom_objects={"Halving": Halving})
    assert isinstance(restored._learning_rate, Halving)


def test_a_saved_model_keeps_its_registered_schedule(tmp_path):
    rng = np.random.default_rng(0)
    x, y = rng.random((8, 3)).astype("float32"), rng.random((8, 1)).astype("float32")
    inputs = keras.Input((3,))
    model = keras.Model(inputs, keras.layers.Dense(1)(inputs))
    model.compile(keras.optimizers.Adam(RegisteredHalving(0.1, 2)), "mse")
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    model.save(tmp_path / "m.keras")
    loaded = keras.saving.load_model(tmp_path / "m.keras")
    assert isinstance(loaded.optimizer._learning_rate, RegisteredHalving)
    # The schedule and the optimizer's step count come back: the next epoch is the same in both.
    model.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    loaded.fit(x, y, batch_size=4, epochs=1, verbose=0, shuffle=False)
    for ours, theirs in zip(model.get_weights(), loaded.get_weights()):
        np.testing.assert_allclose(ours, theirs, rtol=1e-6)
