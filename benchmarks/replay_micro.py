"""Micro-benchmark: a training step recorded on the tape vs the same step replayed (`Trace`).

Not a test. Run from the repository root:

    OPENBLAS_NUM_THREADS=1 python benchmarks/replay_micro.py

Two steps, each "forward + loss + gradients" (no optimizer update):
- tutorial: Dense(1, sigmoid) on 2 features, BinaryCrossentropy, batch 1;
- mlp: Dense(256, relu) -> Dense(128, relu) -> Dense(10, softmax) on 784 features,
  SparseCategoricalCrossentropy, batch 128.
"recorded" runs the layers and the loss on a GradientTape and asks it for the
gradients; "replayed" writes the batch into the recorded inputs, calls every
node's `forward` and walks the same nodes backwards. Both give the same bits
(checked here on the last batch). Prints the median time per step.
"""

import statistics
import sys
import time

import numpy as np

sys.path.insert(0, ".")

import nanokeras as keras  # noqa: E402
from nanokeras.ops.tensor import Constant  # noqa: E402
from nanokeras.ops.trace import Trace  # noqa: E402


def _model(kind):
    if kind == "tutorial":
        layers = [keras.layers.Dense(1, activation="sigmoid")]
        loss, features, batch, classes = keras.losses.BinaryCrossentropy(), 2, 1, None
    else:
        layers = [keras.layers.Dense(256, activation="relu"), keras.layers.Dense(128, activation="relu"),
                  keras.layers.Dense(10, activation="softmax")]
        loss, features, batch, classes = keras.losses.SparseCategoricalCrossentropy(), 784, 128, 10
    rng = np.random.default_rng(0)
    batches = []
    for _ in range(64):
        x = rng.normal(size=(batch, features)).astype("float32")
        y = (rng.integers(0, 2, size=(batch, 1)).astype("float32") if classes is None
             else rng.integers(0, classes, size=(batch,)).astype("int32"))
        batches.append((x, y))
    return layers, loss, batches


def _forward(layers, loss, x, y):
    out = x
    for layer in layers:
        out = layer(out)
    return loss(y, out)


def _weights(layers):
    return [w for layer in layers for w in (layer.kernel, layer.bias)]


def recorded_step(layers, loss, x, y):
    with keras.GradientTape() as tape:
        value = _forward(layers, loss, x, y)
    return value, tape.gradient(value, _weights(layers))


def _per_step_us(step, batches):
    # CPU time of this process: on a shared machine, time spent descheduled is not ours.
    start = time.process_time()
    for x, y in batches:
        step(x, y)
    return (time.process_time() - start) / len(batches) * 1e6


def _interleaved_medians(first, second, batches, repeats):
    """Median per-step times of two steps, measured in turns (load changes hit both alike)."""
    times = ([], [])
    for _ in range(repeats):
        for step, out in ((first, times[0]), (second, times[1])):
            out.append(_per_step_us(step, batches))
    return statistics.median(times[0]), statistics.median(times[1])


def measure(kind, repeats=21):
    layers, loss, batches = _model(kind)
    _forward(layers, loss, *batches[0])  # builds the layers
    weights = _weights(layers)
    x0, y0 = Constant(batches[0][0].copy()), Constant(batches[0][1].copy())
    with keras.GradientTape() as tape:
        target = _forward(layers, loss, x0, y0)
    trace = Trace(tape)
    assert trace.replayable, trace.unreplayable_ops()

    def replayed_step(x, y):
        x0.value[...] = x
        y0.value[...] = y
        trace.forward()
        return target.value, trace.gradients(target, weights)

    for x, y in batches[:3]:  # warm up both
        recorded_step(layers, loss, x, y)
        replayed_step(x, y)
    recorded, replayed = _interleaved_medians(lambda x, y: recorded_step(layers, loss, x, y), replayed_step,
                                              batches * (8 if kind == "tutorial" else 1), repeats)
    x, y = batches[-1]
    value, grads = replayed_step(x, y)
    value_ref, grads_ref = recorded_step(layers, loss, x, y)
    same = np.asarray(value).tobytes() == np.asarray(keras.ops.convert_to_numpy(value_ref)).tobytes() and all(
        np.asarray(g).tobytes() == np.asarray(r).tobytes() for g, r in zip(grads, grads_ref))
    return recorded, replayed, same, len(trace.nodes)


def main():
    print(f"{'step':<10}{'nodes':>6}{'recorded (us)':>15}{'replayed (us)':>15}{'speed-up':>10}  same bits")
    for kind in ("tutorial", "mlp"):
        recorded, replayed, same, nodes = measure(kind)
        print(f"{kind:<10}{nodes:>6}{recorded:>15.1f}{replayed:>15.1f}{recorded / replayed:>9.2f}x  {same}")


if __name__ == "__main__":
    main()
