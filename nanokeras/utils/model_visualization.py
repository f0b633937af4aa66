"""`keras.utils.plot_model`: draws a model's layer graph to an image file.

Uses pydot + graphviz when both are installed (as Keras does); otherwise draws
the graph with matplotlib (boxes layered by depth, arrows between them).

Example:
    >>> import os, tempfile, nanokeras as keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    >>> path = os.path.join(tempfile.mkdtemp(), "model.png")
    >>> keras.utils.plot_model(model, to_file=path)  # doctest: +SKIP
"""

import os


def _graph(model):
    """`(boxes, edges)`: boxes as `(key, label lines, depth)`, edges as `(from key, to key)`."""
    if hasattr(model, "_nodes_by_depth"):
        operations = list(model._operations)
        in_model = {id(n) for nodes in model._nodes_by_depth.values() for n in nodes}
        edges = []
        for op in operations:
            for node in op._inbound_nodes:
                if id(node) in in_model and not node.is_input:
                    for tensor in node.input_tensors:
                        edges.append((id(tensor._keras_history[0]), id(op)))
    else:
        operations = list(model.layers)
        input_layer = getattr(model, "_input_layer", None)
        if input_layer is not None:
            operations.insert(0, input_layer)
        edges = [(id(a), id(b)) for a, b in zip(operations, operations[1:])]
    depth = {}
    for op in operations:
        parents = [depth[a] for a, b in edges if b == id(op) and a in depth]
        depth[id(op)] = 1 + max(parents) if parents else 0
    return operations, edges, depth


def _label(layer, show_shapes, show_layer_names, show_dtype=False):
    title = f"{layer.name} ({type(layer).__name__})" if show_layer_names else type(layer).__name__
    lines = [title]
    if show_shapes:
        nodes = layer._inbound_nodes
        if nodes:
            outs = nodes[-1].outputs
            shape = outs[0].shape if len(outs) == 1 else [t.shape for t in outs]
            lines.append(f"Output shape: {shape}")
    if show_dtype:
        lines.append(f"dtype: {layer.dtype}")
    return lines


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False, show_layer_names=True,
               rankdir="TB", expand_nested=False, dpi=96, show_layer_activations=False,
               show_trainable=False, **kwargs):
    """Writes a picture of `model`'s layers and connections to `to_file`.

    Args:
        model: a Sequential or functional model.
        to_file: the image path (`.png`, `.pdf`, `.svg`, ...).
        show_shapes: add each layer's output shape.
        show_layer_names: show layer names (else class names only).
        rankdir: `"TB"` (top to bottom) or `"LR"` (left to right).
        dpi: resolution.

    Raises:
        ImportError: neither pydot+graphviz nor matplotlib is installed.
    """
    if rankdir not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"plot_model: `rankdir` must be 'TB', 'LR', 'BT' or 'RL', got {rankdir!r}.")
    if not getattr(model, "built", False):
        raise ValueError("plot_model: the model is not built yet; call it on data or give it an Input first.")
    operations, edges, depth = _graph(model)
    labels = {id(op): _label(op, show_shapes, show_layer_names, show_dtype) for op in operations}
    if _draw_with_pydot(operations, edges, labels, to_file, rankdir, dpi):
        return None
    try:
        import matplotlib
    except ImportError:
        raise ImportError(
            "plot_model needs either pydot with graphviz (`pip install pydot` and the graphviz system package, "
            "e.g. `apt install graphviz`) or matplotlib (`pip install matplotlib`); neither is installed."
        ) from None
    del matplotlib
    _draw_with_matplotlib(operations, edges, depth, labels, to_file, rankdir, dpi)
    return None


def model_to_dot(model, show_shapes=False, show_dtype=False, show_layer_names=True, rankdir="TB",
                 expand_nested=False, dpi=200, subgraph=False, show_layer_activations=False,
                 show_trainable=False, **kwargs):
    """The model's layer graph as a `pydot.Dot` (needs `pydot`), e.g. to write it yourself.

    Args: as `plot_model`.

    Raises:
        ImportError: pydot is not installed.
    """
    try:
        import pydot
    except ImportError:
        raise ImportError("You must install pydot (`pip install pydot`) for `model_to_dot` to work.") from None
    if not getattr(model, "built", False):
        raise ValueError("model_to_dot: the model is not built yet; call it on data or give it an Input first.")
    operations, edges, _ = _graph(model)
    labels = {id(op): _label(op, show_shapes, show_layer_names, show_dtype) for op in operations}
    return _dot(pydot, operations, edges, labels, rankdir, dpi)


def _dot(pydot, operations, edges, labels, rankdir, dpi):
    graph = pydot.Dot(graph_type="digraph", rankdir=rankdir, dpi=dpi)
    for op in operations:
        graph.add_node(pydot.Node(str(id(op)), label="\n".join(labels[id(op)]), shape="record"))
    for a, b in edges:
        graph.add_edge(pydot.Edge(str(a), str(b)))
    return graph


def _draw_with_pydot(operations, edges, labels, to_file, rankdir, dpi):
    try:
        import pydot
    except ImportError:
        return False
    graph = _dot(pydot, operations, edges, labels, rankdir, dpi)
    extension = os.path.splitext(to_file)[1][1:] or "png"
    try:
        graph.write(to_file, format=extension)
    except (OSError, FileNotFoundError, AssertionError, Exception):  # graphviz's `dot` binary is missing
        return False
    return True


def _draw_with_matplotlib(operations, edges, depth, labels, to_file, rankdir, dpi):
    from matplotlib.figure import Figure  # no pyplot: no GUI backend, no global state

    levels = {}
    for op in operations:
        levels.setdefault(depth[id(op)], []).append(op)
    n_levels = max(levels) + 1
    width = max(len(v) for v in levels.values())
    positions = {}
    for level, ops_at in levels.items():
        for i, op in enumerate(ops_at):
            across = (i + 0.5) * width / len(ops_at)
            along = n_levels - 1 - level
            positions[id(op)] = (across, along) if rankdir in ("TB", "BT") else (level, width - across)
            if rankdir == "BT":
                positions[id(op)] = (across, level)
            if rankdir == "RL":
                positions[id(op)] = (n_levels - 1 - level, width - across)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    box_w = max(len(line) for lines in labels.values() for line in lines) * 0.09 + 0.4
    fig_w = max(4.0, (max(xs) - min(xs) + 1) * max(box_w, 2.0) * 1.2)
    fig_h = max(3.0, (max(ys) - min(ys) + 1) * 1.3)
    fig = Figure(figsize=(fig_w, fig_h), dpi=dpi)
    ax = fig.subplots()
    ax.set_axis_off()
    for a, b in edges:
        (x0, y0), (x1, y1) = positions[a], positions[b]
        ax.annotate("", xy=(x1, y1), xytext=(x0, y0),
                    arrowprops=dict(arrowstyle="->", color="0.3", shrinkA=18, shrinkB=18))
    for op in operations:
        x, y = positions[id(op)]
        ax.text(x, y, "\n".join(labels[id(op)]), ha="center", va="center", fontsize=9,
                bbox=dict(boxstyle="round,pad=0.4", facecolor="#dde8f5", edgecolor="0.2"))
    ax.set_xlim(min(xs) - 1, max(xs) + 1)
    ax.set_ylim(min(ys) - 0.7, max(ys) + 0.7)
    fig.savefig(to_file, dpi=dpi, bbox_inches="tight")
