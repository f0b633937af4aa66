"""Running `fit`, `evaluate` and `predict` with the BLAS thread count of `backend.blas_threads()`.

numpy's BLAS (OpenBLAS) splits large matrix products over all cores. On a machine whose
cores other programs also use, its threads wait for each other and a training step can
become ten times slower than with one thread; and a product split differently can round
differently. So by default nanokeras computes with one BLAS thread, and gives BLAS back its
own setting afterwards. `threadpoolctl` does the switching; without it nothing changes.
"""

import contextlib

from nanokeras.backend import config

_controllers = None


def _blas_controllers():
    global _controllers
    if _controllers is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:
            _controllers = []
        else:
            _controllers = ThreadpoolController().select(user_api="blas").lib_controllers
    return _controllers


@contextlib.contextmanager
def blas_threads():
    """Within the block BLAS uses `backend.blas_threads()` threads (if that is set)."""
    threads = config.blas_threads()
    controllers = _blas_controllers() if threads is not None else []
    previous = [c.num_threads for c in controllers]
    for c, n in zip(controllers, previous):
        if n != threads:
            c.set_num_threads(threads)
    try:
        yield
    finally:
        for c, n in zip(controllers, previous):
            if n != threads:
                c.set_num_threads(n)
