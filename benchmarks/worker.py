"""One measurement in a fresh interpreter; run by `run.py`, one process per call.

    python benchmarks/worker.py info
    python benchmarks/worker.py run WORKLOAD LIBRARY

Prints its result as JSON on a line starting with `BENCH_RESULT `. Imports only the
standard library before the workload itself runs (the import workload depends on it).
"""

import importlib
import json
import os
import sys

from common import LIBRARIES
from workloads import WORKLOADS, load as load_workload

MARKER = "BENCH_RESULT "


def info():
    """Interpreter, numpy and BLAS, and which libraries this interpreter can import."""
    import importlib.metadata as metadata
    import importlib.util
    import platform

    def version(dist):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return None

    out = {"python": platform.python_version(), "executable": sys.executable, "versions": {}}
    for dist in ("numpy", "keras", "jax", "jaxlib", "tensorflow", "tensorflow-cpu", "torch", "scikit-learn"):
        if version(dist):
            out["versions"][dist] = version(dist)
    out["available"] = [name for name, (modules, _, _) in LIBRARIES.items()
                        if all(importlib.util.find_spec(m) is not None for m in modules)]
    from common import import_keras
    out["nanokeras"] = os.path.dirname(import_keras("nanokeras").__file__)  # which copy is measured
    # importing nanokeras loaded numpy and so the BLAS that threadpoolctl describes
    try:
        from threadpoolctl import threadpool_info
        out["blas"] = [{k: pool.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
                       for pool in threadpool_info() if pool.get("user_api") == "blas"]
    except ImportError:
        out["blas"] = None
    return out


def main(argv):
    if argv[:1] == ["info"]:
        result = info()
    elif len(argv) == 3 and argv[0] == "run" and argv[1] in WORKLOADS:
        result = load_workload(argv[1]).run(argv[2])
    else:
        sys.exit("usage: worker.py info | worker.py run {%s} LIBRARY" % ",".join(WORKLOADS))
    sys.stdout.write(MARKER + json.dumps(result) + "\n")


if __name__ == "__main__":
    main(sys.argv[1:])
