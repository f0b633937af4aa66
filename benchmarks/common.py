"""What every benchmark process shares: the libraries compared, timing helpers, data.

Imported by `run.py` (the orchestrator) and by `worker.py` (one measurement in a fresh
process). Only the standard library at module level: an import workload must see a
process that has imported nothing heavy yet.
"""

import os
import statistics
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name -> (modules that must be importable, KERAS_BACKEND or None, label in the table)
LIBRARIES = {
    "nanokeras": (("numpy",), None, "nanokeras"),
    "numpy": (("numpy",), None, "numpy alone"),
    "keras-jax": (("keras", "jax"), "jax", "Keras 3 / JAX"),
    "keras-tensorflow": (("keras", "tensorflow"), "tensorflow", "Keras 3 / TF"),
    "keras-torch": (("keras", "torch"), "torch", "Keras 3 / torch"),
    "torch": (("torch",), None, "PyTorch loop"),
    "sklearn": (("sklearn",), None, "sklearn MLP"),
}

# They make a current OpenBLAS pick a slow generic kernel on this kind of machine.
UNSET_ENV = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def subprocess_env(library, threads=None):
    """The environment of one benchmark process: the caller's, minus BLAS overrides, plus the backend.

    `threads` (None: each library's default) caps the compute threads of numpy's BLAS,
    PyTorch, TensorFlow and XLA, for a machine that other work keeps busy.
    """
    env = dict(os.environ)
    for name in UNSET_ENV:
        env.pop(name, None)
    env.pop("KERAS_BACKEND", None)
    backend = LIBRARIES[library][1]
    if backend:
        env["KERAS_BACKEND"] = backend
    env["TF_CPP_MIN_LOG_LEVEL"] = "2"  # TensorFlow's start-up chatter goes to stderr otherwise
    env["PYTHONWARNINGS"] = "ignore"
    if threads:
        n = str(threads)
        for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"):
            env[name] = n
        env["TF_NUM_INTEROP_THREADS"] = "1"
        if threads == 1:
            env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false"
                                " intra_op_parallelism_threads=1").strip()
    return env


def import_keras(library):
    """`nanokeras`, or real Keras on the backend that `subprocess_env` selected."""
    if library == "nanokeras":
        if REPO not in sys.path:
            sys.path.insert(0, REPO)  # measure this working tree, installed or not
        import nanokeras as keras
        return keras
    import keras
    expected = LIBRARIES[library][1]
    if keras.backend.backend() != expected:
        raise RuntimeError("Keras runs on %r, expected %r (KERAS_BACKEND)" % (keras.backend.backend(), expected))
    return keras


def median_call_time(fn, min_calls=20, max_calls=2000, budget_s=1.0, warmup=5):
    """Median wall time of one `fn()` call, over as many calls as fit in `budget_s`."""
    for _ in range(warmup):
        fn()
    times = []
    start = time.perf_counter()
    while len(times) < max_calls and (len(times) < min_calls or time.perf_counter() - start < budget_s):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def peak_rss_mib():
    """This process's peak resident set size (Linux reports ru_maxrss in KiB)."""
    import resource
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if sys.platform == "darwin":  # bytes there
        kib /= 1024.0
    return kib / 1024.0


def tutorial_data():
    """The tutorial's shape of data: 70 training and 30 validation points, 2 features in [0, 1]."""
    import numpy as np
    rng = np.random.default_rng(0)
    n = 100
    labels = rng.integers(0, 2, n).astype(np.int32)
    x = rng.normal(size=(n, 2)).astype(np.float32) + 1.5 * labels[:, None].astype(np.float32)
    x = (x - x[:70].min(axis=0)) / (x[:70].max(axis=0) - x[:70].min(axis=0))
    return x[:70], labels[:70], x[70:], labels[70:]


def mlp_data(n=20000):
    """20,000 random float32 samples of 784 features with 10 random classes."""
    import numpy as np
    rng = np.random.default_rng(0)
    x = rng.random((n, 784), dtype=np.float32)
    y = rng.integers(0, 10, n).astype(np.int32)
    return x, y


def image_data(n, height, width, seed=0):
    """`n` random float32 images (height, width, 1) in [0, 1) with 10 random classes."""
    import numpy as np
    rng = np.random.default_rng(seed)
    x = rng.random((n, height, width, 1), dtype=np.float32)
    y = rng.integers(0, 10, n).astype(np.int32)
    return x, y
