"""(c) The wall time of the library's top-level import in a fresh interpreter.

The worker process has imported only the standard library when this runs, so the time
includes numpy (and, for Keras, its backend) as a user's first `import` would.
"""

import importlib
import sys
import time

from common import REPO

TITLE = "(c) import"
LIBRARIES = ("nanokeras", "numpy", "keras-jax", "keras-tensorflow", "keras-torch", "torch")
METRICS = (("import_s", "(c) import time", "s", "lower"),)
MODULE = {"nanokeras": "nanokeras", "numpy": "numpy", "torch": "torch",
          "keras-jax": "keras", "keras-tensorflow": "keras", "keras-torch": "keras"}


def run(library):
    if library == "nanokeras" and REPO not in sys.path:
        sys.path.insert(0, REPO)
    name = MODULE[library]
    if name in sys.modules:
        raise RuntimeError("%s was already imported: the measurement would be empty" % name)
    start = time.perf_counter()
    importlib.import_module(name)
    return {"import_s": time.perf_counter() - start}
