"""Reading a `PyDataset`'s batches ahead of the training step, in threads or processes.

`PyDataset(workers=4, use_multiprocessing=False, max_queue_size=10)` asks for up to
`max_queue_size` batches to be prepared while the model trains on the current one.
The batches still come out in the epoch's order: batch `k` is handed over only when
it is ready, whatever finished first. An exception while reading a batch stops every
worker and reaches the training loop, naming the batch; so does leaving the loop early
(a callback stopping training): no thread or process outlives its epoch.

With `use_multiprocessing=True` the workers are processes forked from this one (on
systems without `fork`, spawned: the dataset must then be picklable), created for each
epoch so that they see the dataset as `on_epoch_begin`/`on_epoch_end` left it.
"""

import collections
import concurrent.futures
import multiprocessing
import sys

# The dataset a forked worker process reads from (set in the parent just before forking).
_WORKER_DATASET = [None]


def _set_worker_dataset(dataset):
    _WORKER_DATASET[0] = dataset


def _read_in_worker(index):
    return _WORKER_DATASET[0][index]


class BatchReadError(Exception):
    """A batch could not be read; carries its index (the original exception is the cause)."""

    def __init__(self, index, error):
        super().__init__(f"batch {index}: {type(error).__name__}: {error}")
        self.index = index
        self.error = error


def _process_context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods and sys.platform != "win32" else "spawn")


def prefetched(dataset, indices, workers, use_multiprocessing, max_queue_size):
    """Yields `dataset[i]` for each index of `indices`, in order, read ahead by `workers`.

    Raises `BatchReadError` (from the original exception) when reading a batch fails.
    """
    indices = list(indices)
    ahead = max(int(max_queue_size or 1), 1)
    workers = max(int(workers or 1), 1)
    if use_multiprocessing:
        context = _process_context()
        _set_worker_dataset(dataset)
        pool = context.Pool(workers, initializer=_set_worker_dataset, initargs=(dataset,))
        submit = lambda i: pool.apply_async(_read_in_worker, (i,))  # noqa: E731
        result_of = lambda job: job.get()  # noqa: E731

        def stop():
            pool.terminate()
            pool.join()
            _set_worker_dataset(None)
    else:
        executor = concurrent.futures.ThreadPoolExecutor(max_workers=workers, thread_name_prefix="py_dataset")
        submit = lambda i: executor.submit(dataset.__getitem__, i)  # noqa: E731
        result_of = lambda job: job.result()  # noqa: E731

        def stop():
            for job in pending:
                job.cancel()
            executor.shutdown(wait=True)

    pending = collections.deque()
    position = 0
    try:
        while position < len(indices) and len(pending) < ahead:
            pending.append(submit(indices[position]))
            position += 1
        for index in indices:
            job = pending.popleft()
            try:
                batch = result_of(job)
            except Exception as error:
                raise BatchReadError(index, error) from error
            if position < len(indices):
                pending.append(submit(indices[position]))
                position += 1
            yield batch
    finally:
        stop()
