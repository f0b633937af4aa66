"""keras.ops.abs on symbolic tensors is recorded as Keras records it: an `absolute` node of an
Absolute operation (Keras's ops.abs runs ops.absolute)."""

import nanokeras as keras


def test_abs_node_is_named_and_classed_as_keras_names_it():
    keras.backend.clear_session()
    inputs = keras.Input((3,))
    outputs = keras.ops.abs(inputs)
    operation = outputs._keras_history[0]
    assert operation.name == "absolute" and type(operation).__name__ == "Absolute"
    lines = []
    keras.Model(inputs, outputs).summary(print_fn=lines.append)
    assert any("absolute (Absolute)" in line for line in lines)
