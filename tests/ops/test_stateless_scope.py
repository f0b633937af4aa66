"""`keras.StatelessScope` / `keras.SymbolicScope`, `Layer.stateless_call`, `Optimizer.stateless_apply`."""

import numpy as np
import pytest

import nanokeras as keras
from nanokeras.backend import state_scopes


def _var(values, name="v"):
    return keras.Variable(np.asarray(values, dtype="float32"), name=name)


def test_assignments_are_recorded_not_applied():
    v = _var([1.0, 2.0])
    array = v.value
    with keras.StatelessScope() as scope:
        assert state_scopes.get_stateless_scope() is scope
        v.assign([5.0, 6.0])
        assert v.numpy().tolist() == [5.0, 6.0]  # reads inside see the new value
        v.assign_add([1.0, 1.0])
        v.assign_sub([0.5, 0.5])
        assert scope.get_current_value(v).tolist() == [5.5, 6.5]
    assert not state_scopes.in_stateless_scope()
    assert v.numpy().tolist() == [1.0, 2.0]
    assert v.value is array  # same array: packed buffers and compiled steps stay valid
    assert scope.get_current_value(v).tolist() == [5.5, 6.5]


def test_state_mapping_sets_initial_values_and_untouched_variables_are_none():
    v, w = _var([0.0, 0.0]), _var([3.0])
    with keras.StatelessScope([(v, np.array([1, 2]))]) as scope:
        assert v.numpy().tolist() == [1.0, 2.0]
        assert v.value.dtype == np.float32
        assert (v * 2).tolist() == [2.0, 4.0]
    assert v.numpy().tolist() == [0.0, 0.0]
    assert scope.get_current_value(v).tolist() == [1.0, 2.0]
    assert scope.get_current_value(w) is None


def test_state_mapping_value_can_be_a_variable():
    v, other = _var([0.0]), _var([7.0])
    with keras.StatelessScope([(v, other)]) as scope:
        pass
    assert scope.get_current_value(v).tolist() == [7.0]


def test_state_is_restored_when_the_body_raises():
    v = _var([1.0])
    with pytest.raises(RuntimeError):
        with keras.StatelessScope():
            v.assign([9.0])
            raise RuntimeError("boom")
    assert v.numpy().tolist() == [1.0]
    assert not state_scopes.in_stateless_scope()


def test_nested_scopes_restore_in_turn():
    v = _var([1.0])
    with keras.StatelessScope() as outer:
        v.assign([2.0])
        with keras.StatelessScope() as inner:
            v.assign([3.0])
            assert state_scopes.get_stateless_scope() is inner
        assert v.numpy().tolist() == [2.0]
        assert state_scopes.get_stateless_scope() is outer
    assert v.numpy().tolist() == [1.0]
    assert inner.get_current_value(v).tolist() == [3.0]
    assert outer.get_current_value(v).tolist() == [2.0]


@pytest.mark.parametrize("mapping, argument_text", [
    ([(np.zeros(1), np.zeros(1))], "keras.Variable"),
    ([("not a pair",)], "(variable, value) pairs"),
])
def test_bad_state_mapping_items_name_the_argument(mapping, argument_text):
    with pytest.raises(ValueError, match="state_mapping") as info:
        keras.StatelessScope(mapping)
    assert argument_text in str(info.value)


def test_wrong_shape_is_refused_and_nothing_changes():
    v = _var([1.0, 2.0])
    with pytest.raises(ValueError, match=r"state_mapping.*shape \(3,\).*shape \(2,\)"):
        keras.StatelessScope([(v, np.zeros(3))])
    assert v.numpy().tolist() == [1.0, 2.0]
    assert not state_scopes.in_stateless_scope()


def test_a_dict_mapping_is_refused_with_the_fix():
    v = _var([1.0])
    with pytest.raises(TypeError, match=r"list\(mapping.items\(\)\)"):
        keras.StatelessScope({v: np.ones(1)})


def test_a_rejected_assign_inside_the_scope_changes_nothing():
    v = _var([1.0, 2.0])
    with keras.StatelessScope() as scope:
        with pytest.raises(ValueError, match="shape"):
            v.assign(np.zeros(3))
        assert v.numpy().tolist() == [1.0, 2.0]
    assert v.numpy().tolist() == [1.0, 2.0]
    assert scope.get_current_value(v) is None  # the refused assign recorded nothing


def test_add_update_before_and_inside_the_scope():
    v, w = _var([0.0]), _var([0.0])
    scope = keras.StatelessScope()
    scope.add_update((v, np.array([4.0])))
    with scope:
        assert v.numpy().tolist() == [4.0]
        scope.add_update((w, [5.0]))
        assert w.numpy().tolist() == [5.0]
    assert (v.numpy().tolist(), w.numpy().tolist()) == ([0.0], [0.0])
    assert scope.get_current_value(w).tolist() == [5.0]
    with pytest.raises(ValueError, match="shape"):
        scope.add_update((v, np.zeros(2)))


def test_moving_averages_are_kept_in_the_scope():
    layer = keras.layers.BatchNormalization(momentum=0.5)
    x = np.array([[1.0], [3.0]], dtype="float32")
    layer(x)
    mean = layer.moving_mean
    with keras.StatelessScope() as scope:
        layer(x, training=True)
    assert mean.numpy().tolist() == [0.0]
    assert scope.get_current_value(mean).tolist() == [1.0]  # 0 * 0.5 + 2 * 0.5


class _LossLayer(keras.layers.Layer):
    def call(self, x):
        self.add_loss(keras.ops.sum(x))
        return x


def test_losses_go_to_a_collecting_scope_and_are_dropped_otherwise():
    layer = _LossLayer()
    x = np.ones((1, 2), dtype="float32")
    with keras.StatelessScope(collect_losses=True) as scope:
        layer(x)
    assert [float(np.asarray(loss)) for loss in scope.losses] == [2.0]
    assert layer.losses == []
    with keras.StatelessScope() as scope:
        layer(x)
    assert scope.losses == [] and layer.losses == []
    assert scope.collect_losses is False and scope.initialize_variables is True


def test_symbolic_scope_is_open_while_output_shapes_are_inferred():
    seen = []

    class Probe(keras.layers.Layer):
        def call(self, x):
            seen.append(state_scopes.in_symbolic_scope())
            return x

    Probe()(keras.Input((2,)))
    Probe()(np.ones((1, 2), dtype="float32"))
    assert seen[0] is True and seen[-1] is False
    with keras.SymbolicScope() as scope:
        assert state_scopes.get_symbolic_scope() is scope
        with keras.SymbolicScope():
            pass
        assert state_scopes.get_symbolic_scope() is scope
    assert not state_scopes.in_symbolic_scope()


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, kernel_regularizer="l2"),
                              keras.layers.BatchNormalization(), keras.layers.Dense(1)])
    return model


def test_stateless_call_matches_a_stateful_call_and_changes_nothing():
    x = np.random.default_rng(0).random((8, 3)).astype("float32")
    model = _model()
    before = [w.numpy().copy() for w in model.weights]
    trainable = [w.numpy() * 2 for w in model.trainable_variables]
    non_trainable = [w.numpy() for w in model.non_trainable_variables]
    out, new_non_trainable, losses = model.stateless_call(trainable, non_trainable, x, training=True,
                                                          return_losses=True)
    assert all(np.array_equal(b, w.numpy()) for b, w in zip(before, model.weights))
    for w, value in zip(model.trainable_variables, trainable):
        w.assign(value)
    expected = model(x, training=True)
    np.testing.assert_array_equal(np.asarray(out), np.asarray(expected))
    for w, value in zip(model.non_trainable_variables, new_non_trainable):
        np.testing.assert_array_equal(w.numpy(), value)
    assert len(losses) == 1
    np.testing.assert_allclose(float(np.asarray(losses[0])), 0.01 * np.sum(trainable[0] ** 2), rtol=1e-6)


def test_stateless_call_errors_name_the_argument():
    model = _model()
    with pytest.raises(ValueError, match="trainable_variables.*length 1, but expected 6"):
        model.stateless_call([np.zeros(1)], [], np.zeros((1, 3)))
    with pytest.raises(ValueError, match="non_trainable_variables"):
        model.stateless_call([w.numpy() for w in model.trainable_variables], [], np.zeros((1, 3)))
    with pytest.raises(ValueError, match="must be built"):
        keras.layers.Dense(2).stateless_call([], [], np.zeros((1, 3)))


def test_stateless_apply_equals_apply_and_changes_nothing():
    rng = np.random.default_rng(1)
    weights = [_var(rng.random((3, 2)), "k"), _var(rng.random(2), "b")]
    grads = [rng.random((3, 2)).astype("float32"), rng.random(2).astype("float32")]
    optimizer = keras.optimizers.Adam(0.1)
    optimizer.build(weights)
    optimizer.apply(grads)  # non-zero slots
    start_w = [w.numpy().copy() for w in weights]
    start_o = [v.numpy().copy() for v in optimizer.variables]
    new_w, new_o = optimizer.stateless_apply(start_o, grads, start_w)
    assert all(np.array_equal(a, w.numpy()) for a, w in zip(start_w, weights))
    assert all(np.array_equal(a, v.numpy()) for a, v in zip(start_o, optimizer.variables))
    optimizer.apply(grads)
    for a, w in zip(new_w, weights):
        np.testing.assert_array_equal(a, w.numpy())
    for a, v in zip(new_o, optimizer.variables):
        np.testing.assert_array_equal(a, v.numpy())
    assert int(new_o[0]) == 2


def test_stateless_apply_errors():
    w = _var([1.0])
    optimizer = keras.optimizers.SGD()
    with pytest.raises(ValueError, match="must be built"):
        optimizer.stateless_apply([], [np.ones(1)], [np.ones(1)])
    optimizer.build([w])
    with pytest.raises(ValueError, match="optimizer_variables"):
        optimizer.stateless_apply([], [np.ones(1)], [np.ones(1)])
    with pytest.raises(ValueError, match="trainable_variables"):
        optimizer.stateless_apply([v.numpy() for v in optimizer.variables], [np.ones(1)], [])
    assert w.numpy().tolist() == [1.0]
