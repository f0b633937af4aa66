"""One module per workload. Each defines:

- `TITLE`: a short name for the table;
- `LIBRARIES`: the libraries it runs on (names from `common.LIBRARIES`, nanokeras first);
- `METRICS`: `(key, label, unit, better)` rows it reports, `better` being "lower" or "higher";
- `run(library)`: does one measurement in this fresh process and returns `{key: value}`.
"""

# --only name -> module name
WORKLOADS = {"tutorial": "tutorial", "mlp": "mlp", "mlp_one_thread": "mlp_threads:OneThread",
             "mlp_loaded": "mlp_threads:UnderLoad",
             "mlp_loaded_one_thread": "mlp_threads:OneThreadUnderLoad", "import": "imports", "latency": "latency",
             "cnn_small": "small_cnn", "cnn_mnist": "mnist_cnn",
             "lstm": "lstm_text", "text_vectorization": "text_vectorization"}


def load(name):
    """The workload `name`: a module, or a class in one (`module:Class`, a variant of a workload)."""
    import importlib

    module_name, _, attribute = WORKLOADS[name].partition(":")
    module = importlib.import_module("workloads." + module_name)
    return getattr(module, attribute) if attribute else module
