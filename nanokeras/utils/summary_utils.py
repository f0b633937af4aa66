"""`model.summary()`: the table of layers, output shapes and parameter counts, drawn as Keras 3 draws it."""

import os
import re
import shutil
import sys

import numpy as np

# Column boundaries as fractions of the line, and the header, for sequential-like models.
_POSITIONS = (0.45, 0.80, 1.0)
_HEADER = ("Layer (type)", "Output Shape", "Param #")
_ALIGN = ("left", "left", "right")
# With a "Connected to" column (graphs that are not a plain chain), as Keras lays them out.
_GRAPH_POSITIONS = (0.3, 0.56, 0.74, 1.0)
_GRAPH_HEADER = ("Layer (type)", "Output Shape", "Param #", "Connected to")
_GRAPH_ALIGN = ("left", "left", "right", "left")


def _cell_shrink(n_columns):
    """How much narrower than its column each cell is (padding included), as Keras's table renderer
    (rich) makes room for the borders: the excess is taken evenly, rounding half to even."""
    excess, remaining, shrink = 3 * n_columns + 1, n_columns, []
    for _ in range(n_columns):
        taken = round(excess / remaining)
        shrink.append(taken - 2)
        excess -= taken
        remaining -= 1
    return tuple(shrink)


def console_width():
    """The width Keras's console (rich) prints at: Jupyter's 115 columns (or `JUPYTER_COLUMNS`),
    else `COLUMNS`, else the terminal of stdin, stdout or stderr, else 80."""
    environ = os.environ
    if "ipykernel" in sys.modules:
        columns = environ.get("JUPYTER_COLUMNS", "")
        return int(columns) if columns.isdigit() else 115
    columns = environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (AttributeError, ValueError, OSError):
            continue
        return width or 80
    return 80


def readable_memory_size(size_in_bytes):
    """`15.63 KB` style: bytes scaled by 1024 with two decimals."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size_in_bytes / 1024 < 1:
            return f"{size_in_bytes:.2f} {unit}"
        size_in_bytes /= 1024
    return f"{size_in_bytes:.2f} PB"


def _count_and_size(weights):
    unique = {id(w): w for w in weights}.values()
    count = sum(int(np.prod(w.shape, dtype=np.int64)) for w in unique)
    size = sum(int(np.prod(w.shape, dtype=np.int64)) * np.dtype(w.dtype).itemsize for w in unique)
    return count, size


def _format_shape(shape):
    if shape is None:
        return "?"
    if isinstance(shape, list) and any(isinstance(s, (list, tuple)) for s in shape):
        return "[" + ", ".join(_format_shape(s) for s in shape) + "]"  # several outputs
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _wrap(text, width):
    """Greedy word wrap to `width`; a word longer than a line is cut with an ellipsis
    (rich's default `overflow="ellipsis"`, which Keras's table uses)."""
    indent = text[:len(text) - len(text.lstrip(" "))]  # a nested layer's "   └ " keeps its spaces
    if indent:
        lines = _wrap(text[len(indent):], max(width - len(indent), 1))
        return [indent + lines[0]] + lines[1:]
    lines, line = [], ""
    for word in text.split(" "):
        if not line:
            line = word
        elif len(line) + 1 + len(word) <= width:
            line += " " + word
        else:
            lines.append(line)
            line = word
    lines.append(line)
    return [x if len(x) <= width else x[: max(width - 1, 0)] + "…" for x in lines]


def _row_lines(values, cells, border, alignment=_ALIGN):
    """The text lines of one table row, each cell wrapped to its width."""
    wrapped = [_wrap(v, c - 2) for v, c in zip(values, cells)]
    height = max(len(w) for w in wrapped)
    lines = []
    for i in range(height):
        parts = []
        for lines_of_cell, cell, align in zip(wrapped, cells, alignment):
            text = lines_of_cell[i] if i < len(lines_of_cell) else ""
            if align == "left":
                text = text.ljust(cell - 2)
            elif align == "center":  # rich puts the odd space on the right
                text = text.center(cell - 2) if (cell - 2 - len(text)) % 2 == 0 else (text + " ").center(cell - 2)
            else:
                text = text.rjust(cell - 2)
            parts.append(" " + text + " ")
        lines.append(border + border.join(parts) + border)
    return lines


def layer_index_range(layers, layer_range=None):
    """The `slice` of `layers` that `summary(layer_range=[first, last])` lists, as Keras picks it.

    `first` and `last` are regular expressions tried with `re.match` on each layer's name: the
    range runs from the first layer matching `first` to the last matching `last`, both included
    (when every `first` match comes after the last `last` match, from the first `last` match to
    the last `first` match). `None` means every layer.
    """
    if layer_range is None:
        return slice(0, len(layers))
    if not hasattr(layer_range, "__len__"):
        raise TypeError(
            "summary: `layer_range` must be a list or tuple of 2 layer names (or regular expressions), "
            f"got {layer_range!r}."
        )
    if len(layer_range) != 2:
        raise ValueError(
            "summary: `layer_range` must be a list or tuple of 2 layer names (or regular expressions), "
            f"got {layer_range!r} of length {len(layer_range)}."
        )
    first, last = layer_range
    if not isinstance(first, str) or not isinstance(last, str):
        raise ValueError(
            f"summary: `layer_range` must contain two strings (layer names or regular expressions), "
            f"got {layer_range!r}."
        )
    starts = [i for i, layer in enumerate(layers) if re.match(first, layer.name)]
    ends = [i for i, layer in enumerate(layers) if re.match(last, layer.name)]
    if not starts or not ends:
        names = [layer.name for layer in layers]
        raise ValueError(
            f"summary: `layer_range` {list(layer_range)!r} does not match the model's layer names "
            f"{names} (each entry is tried with re.match on every name)."
        )
    if min(starts) > max(ends):
        return slice(min(ends), max(starts) + 1)
    return slice(min(starts), max(ends) + 1)


def expanded_rows(model, connected, expand_nested=False, show_trainable=False, level=0, top=None):
    """The rows of `model._summary_rows()`, each followed, with `expand_nested`, by the rows of the
    model inside it (names prefixed `   └ ` per level), and with `show_trainable` a last cell:
    `Y`/`N` for a layer with weights, `-` for one without (as Keras marks them). `top`, a slice,
    keeps only those of `model`'s own layers (with everything nested in them)."""
    rows = []
    prefix = "   " * level + "└ " if level else ""
    pairs = list(zip(model._summary_rows(), model._summary_layers()))
    if level:
        # As Keras lists a nested model: its layers (not the ops of its graph), and no connections,
        # which belong to the nested model's own graph.
        pairs = [(row, layer) for row, layer in pairs if not getattr(layer, "_is_symbolic_op", False)]
    for row, layer in pairs if top is None else pairs[top]:
        link = "-" if level or len(row) < 5 else row[4]
        row = (prefix + row[0],) + tuple(row[1:4]) + ((link,) if connected else ())
        if show_trainable:
            row += (("Y" if layer.trainable else "N") if layer.weights else "-",)
        rows.append(row)
        if expand_nested and getattr(layer, "layers", None) and hasattr(layer, "_summary_rows"):
            rows.extend(expanded_rows(layer, connected, expand_nested, show_trainable, level + 1))
    return rows


def print_summary(model, line_length=None, positions=None, print_fn=None, rows=None, connected=None,
                  show_trainable=False):
    """Prints `model`'s summary table.

    Args:
        model: a built or unbuilt model.
        line_length: total width; by default 88 columns, narrower on a narrow terminal.
        positions: relative or absolute right edges of the three columns.
        print_fn: called with the whole summary as one string; `print` by default.
        rows: `(name, class name, output shape or None, param count or None)` per layer (then the
            "Connected to" text when `connected`, then "Y"/"N"/"-" when `show_trainable`).
        connected: whether there is a "Connected to" column (by default: rows of five cells).
        show_trainable: whether there is a "Trainable" column.
    """
    if connected is None:
        connected = bool(rows) and len(rows[0]) == 5
    header, alignment = (_GRAPH_HEADER, _GRAPH_ALIGN) if connected else (_HEADER, _ALIGN)
    default_length = 108 if connected else 88
    positions = list(positions or (_GRAPH_POSITIONS if connected else _POSITIONS))
    if show_trainable:
        default_length += 12
        positions = [p * 0.90 for p in positions] + [1.0]
        header, alignment = header + ("Trainable",), alignment + ("center",)
    if line_length is None:
        line_length = min(default_length, shutil.get_terminal_size().columns - 4)
    if positions[-1] <= 1:
        positions = [int(p * line_length) for p in positions]
    widths, current = [], 0
    for edge in positions:
        width = edge - current
        if width < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(width)
        current += width
    cells = [w - s for w, s in zip(widths, _cell_shrink(len(widths)))]

    def border(left, fill, middle, right):
        return left + middle.join(fill * c for c in cells) + right

    table = [border("┏", "━", "┳", "┓")]
    table += _row_lines(header, cells, "┃", alignment)
    table.append(border("┡", "━", "╇", "┩"))
    for i, (name, class_name, shape, params, *connections) in enumerate(rows):
        params_text = "0 (unbuilt)" if params is None else f"{params:,}"
        values = (f"{name} ({class_name})", _format_shape(shape), params_text) + tuple(connections)
        table += _row_lines(values, cells, "│", alignment)
        table.append(border("├", "─", "┼", "┤") if i < len(rows) - 1 else border("└", "─", "┴", "┘"))
    if not rows:
        table.append(border("└", "─", "┴", "┘"))
    # A table wider than the console is cut at its edge, as Keras's console does.
    width = console_width()
    lines = [f'Model: "{model.name}"'] + [line[:width] for line in table]

    trainable_count, trainable_size = _count_and_size(model.trainable_weights)
    frozen_count, frozen_size = _count_and_size(model.non_trainable_weights)
    optimizer = getattr(model, "optimizer", None)
    optimizer_built = bool(getattr(model, "compiled", False) and optimizer is not None and optimizer.built)
    optimizer_count, optimizer_size = _count_and_size(optimizer.variables) if optimizer_built else (0, 0)
    total_count = trainable_count + frozen_count + optimizer_count
    total_size = trainable_size + frozen_size + optimizer_size
    lines.append(f" Total params: {total_count:,} ({readable_memory_size(total_size)})")
    lines.append(f" Trainable params: {trainable_count:,} ({readable_memory_size(trainable_size)})")
    lines.append(f" Non-trainable params: {frozen_count:,} ({readable_memory_size(frozen_size)})")
    if optimizer_built:
        lines.append(f" Optimizer params: {optimizer_count:,} ({readable_memory_size(optimizer_size)})")
    text = "\n".join(lines)
    if print_fn is None:
        print(text)
    else:
        print_fn(text + "\n")


# ------------------------------------------------------------ functional models
def functional_rows(model):
    """Summary rows of a functional model, in Keras's order, with "Connected to" unless it is a chain."""
    from nanokeras.tree import flatten
    graph_nodes = [node for nodes in model._nodes_by_depth.values() for node in nodes]
    chain = _is_chain(model, graph_nodes)
    in_graph = {id(node) for node in graph_nodes}
    rows = []
    for layer in model._operations:
        nodes = layer._inbound_nodes
        shape = None
        if nodes:
            outputs = nodes[-1].outputs
            shape = outputs[0].shape if len(outputs) == 1 else [t.shape for t in outputs]
        params = layer.count_params() if layer.built else None
        row = (layer.name, type(layer).__name__, shape, params)
        if not chain:
            links = []
            for node in nodes:
                if id(node) not in in_graph:
                    continue
                for tensor in flatten(node.input_tensors):
                    op, node_index, tensor_index = tensor._keras_history
                    links.append(f"{op.name}[{node_index}][{tensor_index}]")
            row += (", ".join(links) or "-",)
        rows.append(row)
    return rows


def _is_chain(model, graph_nodes):
    """Keras prints a functional model like a Sequential when every depth has one single-input node
    and no layer is used twice."""
    for nodes in model._nodes_by_depth.values():
        if len(nodes) > 1 or (len(nodes) == 1 and len(nodes[0].input_tensors) > 1):
            return False
    ids = {id(node) for node in graph_nodes}
    for layer in model.layers:
        if sum(1 for node in layer._inbound_nodes if id(node) in ids) > 1:
            return False
    return True
