"""Reading numpy object arrays of integer lists (`imdb.npz`, `reuters.npz`) WITHOUT unpickling.

numpy stores an object array as a pickle: a small program that a normal
unpickler runs, importing and calling whatever it names, so a crafted file can
run any code. This module reads the same bytes as DATA: it walks the pickle's
opcodes itself and accepts only what an object array of integer lists consists
of (numpy's array and dtype constructors, named but never imported or called;
tuples, lists, ints, small strings). Anything else is refused with a ValueError.
It builds nothing but lists of Python ints.

Example:
    >>> import io, numpy as np
    >>> data = np.empty(2, dtype=object); data[0], data[1] = [1, 2], [3]
    >>> buffer = io.BytesIO(); np.save(buffer, data, allow_pickle=True)
    >>> read_npy_object_array(buffer.getvalue(), "example")
    [[1, 2], [3]]
"""

import io
import struct
import zipfile

import numpy as np

# The only names an object-array pickle may mention: numpy's array and dtype reconstruction.
_ALLOWED_GLOBALS = {
    ("numpy.core.multiarray", "_reconstruct"): "reconstruct",
    ("numpy._core.multiarray", "_reconstruct"): "reconstruct",
    ("numpy", "ndarray"): "ndarray",
    ("numpy", "dtype"): "dtype",
}

# Limits against hostile files: far above any real dataset.
_MAX_ITEMS = 50_000_000


class _Name:
    """A name the pickle mentions (never looked up)."""

    def __init__(self, kind):
        self.kind = kind


class _Array:
    """The array being reconstructed; `items` is its list of elements once BUILD gives them."""

    def __init__(self):
        self.items = None
        self.object_dtype = None


class _Dtype:
    def __init__(self, code):
        self.code = code


class _Mark:
    pass


_MARK = _Mark()


def _refuse(source, what):
    raise ValueError(
        f"{source}: refusing to read this object array: {what}. It is not a plain array of integer lists "
        "(as Keras's imdb/reuters files are); nanokeras never runs the code a pickle names."
    )


def _parse_pickle(data, source):
    """The elements of the object array pickled in `data`: a list (of lists of ints)."""
    stack, memo = [], {}
    position, end, count = 0, len(data), 0

    def read(size):
        nonlocal position
        if position + size > end:
            _refuse(source, "the data ends early")
        chunk = data[position:position + size]
        position += size
        return chunk

    def read_line():
        nonlocal position
        stop = data.find(b"\n", position)
        if stop < 0:
            _refuse(source, "the data ends early")
        line = data[position:stop]
        position = stop + 1
        return line.decode("latin-1")

    def pop_mark():
        for i in range(len(stack) - 1, -1, -1):
            if stack[i] is _MARK:
                items = stack[i + 1:]
                del stack[i:]
                return items
        _refuse(source, "a malformed mark")

    def top(n=1):
        if len(stack) < n:
            _refuse(source, "a malformed stack")
        return stack[-n:]

    while True:
        if position >= end:
            _refuse(source, "no STOP")
        op = data[position:position + 1]
        position += 1
        count += 1
        if count > _MAX_ITEMS:
            _refuse(source, "too many items")
        if op == b"\x80":  # PROTO
            read(1)
        elif op == b"\x95":  # FRAME
            read(8)
        elif op == b"c":  # GLOBAL
            module, name = read_line(), read_line()
            kind = _ALLOWED_GLOBALS.get((module, name))
            if kind is None:
                _refuse(source, f"it names {module}.{name}")
            stack.append(_Name(kind))
        elif op == b"\x93":  # STACK_GLOBAL
            module, name = top(2)
            del stack[-2:]
            kind = _ALLOWED_GLOBALS.get((module, name)) if isinstance(module, str) and isinstance(name, str) else None
            if kind is None:
                _refuse(source, f"it names {module}.{name}")
            stack.append(_Name(kind))
        elif op == b"(":  # MARK
            stack.append(_MARK)
        elif op == b")":  # EMPTY_TUPLE
            stack.append(())
        elif op == b"t":  # TUPLE
            stack.append(tuple(pop_mark()))
        elif op in (b"\x85", b"\x86", b"\x87"):  # TUPLE1/2/3
            n = op[0] - 0x84
            items = top(n)
            del stack[-n:]
            stack.append(tuple(items))
        elif op == b"]":  # EMPTY_LIST
            stack.append([])
        elif op == b"l":  # LIST
            stack.append(pop_mark())
        elif op == b"a":  # APPEND
            item = top(1)[0]
            stack.pop()
            target = top(1)[0]
            if not isinstance(target, list):
                _refuse(source, "an append to something else than a list")
            target.append(item)
        elif op == b"e":  # APPENDS
            items = pop_mark()
            target = top(1)[0]
            if not isinstance(target, list):
                _refuse(source, "an append to something else than a list")
            target.extend(items)
        elif op == b"J":  # BININT
            stack.append(struct.unpack("<i", read(4))[0])
        elif op == b"K":  # BININT1
            stack.append(read(1)[0])
        elif op == b"M":  # BININT2
            stack.append(struct.unpack("<H", read(2))[0])
        elif op == b"\x8a":  # LONG1
            size = read(1)[0]
            stack.append(int.from_bytes(read(size), "little", signed=True))
        elif op == b"I":  # INT (text): also True/False in protocol 0
            text = read_line()
            stack.append({"01": True, "00": False}.get(text) if text in ("00", "01") else int(text))
        elif op == b"L":  # LONG (text)
            stack.append(int(read_line().rstrip("L")))
        elif op == b"\x88":  # NEWTRUE
            stack.append(True)
        elif op == b"\x89":  # NEWFALSE
            stack.append(False)
        elif op == b"N":  # NONE
            stack.append(None)
        elif op == b"C":  # SHORT_BINBYTES
            stack.append(read(read(1)[0]))
        elif op == b"B":  # BINBYTES
            stack.append(read(struct.unpack("<I", read(4))[0]))
        elif op == b"U":  # SHORT_BINSTRING (Python 2 str)
            stack.append(read(read(1)[0]).decode("latin-1"))
        elif op == b"T":  # BINSTRING
            stack.append(read(struct.unpack("<i", read(4))[0]).decode("latin-1"))
        elif op == b"\x8c":  # SHORT_BINUNICODE
            stack.append(read(read(1)[0]).decode("utf-8"))
        elif op == b"X":  # BINUNICODE
            stack.append(read(struct.unpack("<I", read(4))[0]).decode("utf-8"))
        elif op in (b"q", b"r", b"\x94"):  # BINPUT, LONG_BINPUT, MEMOIZE
            key = read(1)[0] if op == b"q" else (struct.unpack("<I", read(4))[0] if op == b"r" else len(memo))
            memo[key] = top(1)[0]
        elif op in (b"h", b"j"):  # BINGET, LONG_BINGET
            key = read(1)[0] if op == b"h" else struct.unpack("<I", read(4))[0]
            if key not in memo:
                _refuse(source, "a reference to nothing")
            stack.append(memo[key])
        elif op == b"R":  # REDUCE: only numpy's reconstructors, recorded, never called
            function, arguments = top(2)
            del stack[-2:]
            if not isinstance(function, _Name) or not isinstance(arguments, tuple):
                _refuse(source, "a call of something else than numpy's array constructors")
            if function.kind == "reconstruct":
                if not arguments or not (isinstance(arguments[0], _Name) and arguments[0].kind == "ndarray"):
                    _refuse(source, "an array of another class than numpy.ndarray")
                stack.append(_Array())
            elif function.kind == "dtype":
                if not arguments or not isinstance(arguments[0], str):
                    _refuse(source, "a malformed dtype")
                stack.append(_Dtype(arguments[0]))
            else:
                _refuse(source, "a call of numpy.ndarray")
        elif op == b"b":  # BUILD
            obj, state = top(2)
            del stack[-1:]
            if isinstance(obj, _Dtype):
                continue
            if not isinstance(obj, _Array) or not isinstance(state, tuple) or len(state) != 5:
                _refuse(source, "a malformed array state")
            _, shape, dtype, _, items = state
            if not isinstance(dtype, _Dtype) or dtype.code not in ("O8", "O4", "O"):
                _refuse(source, "an array whose elements are not Python objects")
            if not isinstance(items, list) or not isinstance(shape, tuple) or len(shape) != 1 \
                    or shape[0] != len(items):
                _refuse(source, "a malformed list of elements")
            obj.items = items
        elif op == b".":  # STOP
            result = top(1)[0]
            if not isinstance(result, _Array) or result.items is None:
                _refuse(source, "the pickle is not an object array")
            return result.items
        else:
            _refuse(source, f"an unexpected pickle opcode {op!r}")


def _checked_sequences(items, source):
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, (int, list)):
            _refuse(source, f"element {i} is a {type(item).__name__}, not a list of ints")
        if isinstance(item, list) and any(isinstance(v, bool) or not isinstance(v, int) for v in item):
            _refuse(source, f"element {i} holds something else than ints")
    return items


def read_npy_object_array(data, source):
    """The elements (lists of ints) of the object array stored in `data` (the bytes of a `.npy`)."""
    buffer = io.BytesIO(data)
    try:
        version = np.lib.format.read_magic(buffer)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(buffer)
        else:
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(buffer)
    except ValueError as error:
        raise ValueError(f"{source} is not a valid .npy array ({error}).") from None
    if dtype != object:
        raise ValueError(f"{source} is not an object array (dtype {dtype}).")
    items = _parse_pickle(data[buffer.tell():], source)
    if len(shape) != 1 or shape[0] != len(items):
        _refuse(source, f"its header announces shape {shape} but it holds {len(items)} elements")
    return _checked_sequences(items, source)


def load_npz_arrays(path, keys, dataset):
    """`{key: array or list of int lists}` from the `.npz` at `path`; object arrays read as data."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ValueError(f"{path} is not a readable .npz file ({error}).") from None
    with archive:
        names = archive.namelist()
        missing = [k for k in keys if f"{k}.npy" not in names]
        if missing:
            raise ValueError(f"{path} is not a {dataset} file: it lacks the arrays {missing} (it has {names}).")
        out = {}
        for key in keys:
            data = archive.read(f"{key}.npy")
            buffer = io.BytesIO(data)
            try:
                out[key] = np.lib.format.read_array(buffer, allow_pickle=False)
            except ValueError as error:
                if "allow_pickle" not in str(error):
                    raise ValueError(f"{path}: cannot read {key!r} ({error}).") from None
                out[key] = read_npy_object_array(data, f"{path} ({key})")
        return out
