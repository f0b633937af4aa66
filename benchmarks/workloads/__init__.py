"""One module per workload. Each defines:

- `TITLE`: a short name for the table;
- `LIBRARIES`: the libraries it runs on (names from `common.LIBRARIES`, nanokeras first);
- `METRICS`: `(key, label, unit, better)` rows it reports, `better` being "lower" or "higher";
- `run(library)`: does one measurement in this fresh process and returns `{key: value}`.
"""

# --only name -> module name
WORKLOADS = {"tutorial": "tutorial", "mlp": "mlp", "import": "imports", "latency": "latency", "lstm": "lstm_text",
             "text_vectorization": "text_vectorization"}
