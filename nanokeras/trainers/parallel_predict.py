"""`predict` on two cores: two batches at a time, each computed exactly as it would be alone.

nanokeras runs BLAS on one thread (`keras.config.set_blas_threads`): a matrix product split
over several threads may round differently, so the numbers would depend on the machine's
load. `predict` can still use a second core without that risk, because its batches do not
depend on each other: two copies of the compiled predict program (step_program.py), each
with its own input and output arrays, replay batches side by side on two threads. Each
batch goes through the same numpy calls on one BLAS thread as in the sequential loop, so
every output is bit for bit what the sequential loop gives (`tests/trainers/
test_parallel_predict.py` checks it); numpy releases the GIL inside its kernels, so the two
threads really compute at once.

Only plain cases take this path: numpy batches, the built-in `predict_step`, no callback
watching batches but the progress bar (which still advances batch by batch, in order), a model whose compiled predict program exists, no stateful layer (whose
state must pass from one batch to the next in order), and enough work per batch to pay for
the hand-off between threads. Otherwise `predict_batches` returns NotImplemented and the
caller runs its usual loop.
"""

import os
import queue
import threading

import numpy as np

from nanokeras.trainers import step_program
from nanokeras.trainers.data_adapter import unpack_x_y_sample_weight

# Multiply-adds (weights x rows) per batch below which a thread hand-off costs more than it saves.
MIN_WORK_PER_BATCH = 4_000_000
LANES = 2


def available_cores():
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _blocker(model, batches):
    """Why `batches` (an `ArrayBatches`) must run one at a time, or None; decided before any batch is made."""
    steps = model._compiled_steps
    if steps is None or steps.reason.get("predict") is not None:
        return "the predict step is not compiled"
    if steps.tiny.reason.get("predict") is None:
        return "the tiny-model path runs it"
    if available_cores() < 2:
        return "one core"
    if min(batches.steps_per_epoch, batches.num_batches) < 3:
        return "fewer than three batches"
    if any(getattr(layer, "stateful", False) for layer in model._flat_layers()):
        return "a stateful layer carries state from batch to batch"
    x = batches.arrays[0]
    if type(x) is not np.ndarray:
        return "inputs other than one array"
    weights = sum(int(w.value.size) for w in model.weights)
    if weights * min(batches.batch_size, batches.num_samples) < MIN_WORK_PER_BATCH:
        return "too little work per batch"
    return None


def predict_batches(model, batches, on_batch_end=None):
    """The outputs of `batches` (an `ArrayBatches`), two at a time, or NotImplemented (see the
    module doc) before any batch is made.

    `on_batch_end(step, output)`, if given, is called on this thread for each batch in order,
    as soon as it and every batch before it are done (the progress bar)."""
    if _blocker(model, batches) is not None:
        return NotImplemented
    batches = list(batches.batches())
    steps = model._compiled_steps
    key = step_program._batch_key("predict", unpack_x_y_sample_weight(batches[0]))
    same_shape = [i for i, b in enumerate(batches)
                  if step_program._batch_key("predict", unpack_x_y_sample_weight(b)) == key]
    outputs = [None] * len(batches)
    lanes = [p for p in steps.lanes.get(key, ()) if p.is_current()]
    # Programs are recorded here, on this thread (recording uses the tape); each one
    # computes the batch it was recorded on, as the sequential loop's first step does.
    while len(lanes) < LANES and same_shape:
        i = same_shape.pop(0)
        program = step_program._PredictProgram(model, unpack_x_y_sample_weight(batches[i]))
        outputs[i] = program.first_step()
        if not program.trace.replayable:
            steps.reason["predict"] = "ops without a replay: " + ", ".join(
                sorted(set(program.trace.unreplayable_ops())))
            return _finish_sequentially(steps, batches, outputs, on_batch_end)
        lanes.append(program)
    steps.lanes[key] = lanes
    done = queue.Queue()
    errors = []

    def work(program, indices):
        try:
            for i in indices:
                outputs[i] = program.run(unpack_x_y_sample_weight(batches[i]))
                done.put(i)
        except BaseException as error:  # re-raised on the caller's thread
            errors.append(error)
        finally:
            done.put(None)

    threads = [threading.Thread(target=work, args=(program, same_shape[lane::LANES]), daemon=True)
               for lane, program in enumerate(lanes)]
    for thread in threads:
        thread.start()
    reported = _report(on_batch_end, outputs, 0)
    running = len(threads)
    while running:
        if done.get() is None:
            running -= 1
        elif not errors:
            reported = _report(on_batch_end, outputs, reported)
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return _finish_sequentially(steps, batches, outputs, on_batch_end, reported)


def _report(on_batch_end, outputs, reported):
    """Calls `on_batch_end` for the finished batches that follow the `reported` first ones."""
    while reported < len(outputs) and outputs[reported] is not None:
        if on_batch_end is not None:
            on_batch_end(reported, outputs[reported])
        reported += 1
    return reported


def _finish_sequentially(steps, batches, outputs, on_batch_end=None, reported=0):
    """Batches of another shape (the short last one), and any left, through the usual step."""
    for i, batch in enumerate(batches):
        if outputs[i] is None:
            result = steps.run("predict", batch)
            if result is NotImplemented:
                result = steps.model.predict_step(batch)
            outputs[i] = result
            reported = _report(on_batch_end, outputs, reported)
    _report(on_batch_end, outputs, reported)
    return outputs
