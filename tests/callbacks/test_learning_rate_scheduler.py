import numpy as np
import pytest

import nanokeras as keras
from tests.callbacks.helpers import regression_data, small_model


def test_sets_rate_each_epoch_and_logs_it():
    x, y = regression_data()
    model = small_model(lr=0.1)
    seen = []

    def schedule(epoch, lr):
        seen.append((epoch, round(lr, 6)))
        return lr * 0.5 if epoch > 0 else lr

    history = model.fit(x, y, epochs=3, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(schedule)])
    assert seen == [(0, 0.1), (1, 0.1), (2, 0.05)]
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.05, 0.025])
    assert float(np.asarray(model.optimizer.learning_rate)) == pytest.approx(0.025)


def test_rate_is_used_by_the_update():
    x, y = regression_data()
    model = small_model()
    before = model.get_weights() if model.built else None
    model.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(lambda e, lr: 0.0)])
    after = model.get_weights()
    if before is not None:
        for a, b in zip(before, after):
            np.testing.assert_array_equal(a, b)
    model2 = small_model()
    model2.build((None, 3))
    model2.set_weights(after)
    model2.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(lambda e, lr: 0.0)])
    for a, b in zip(after, model2.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_keras2_single_argument_schedule_and_verbose(capsys):
    x, y = regression_data()
    model = small_model()
    model.fit(x, y, epochs=2, verbose=0,
              callbacks=[keras.callbacks.LearningRateScheduler(lambda epoch: 0.01 * (epoch + 1), verbose=1)])
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.02." in capsys.readouterr().out


def test_non_float_output_and_non_callable():
    x, y = regression_data()
    model = small_model()
    with pytest.raises(ValueError, match="should be a float"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[keras.callbacks.LearningRateScheduler(lambda e, lr: "x")])
    with pytest.raises(ValueError, match="schedule"):
        keras.callbacks.LearningRateScheduler(0.1)
