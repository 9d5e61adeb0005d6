"""Reading a saved model without trusting the file: every entry is checked before it is read.

What this is for: ``MLP.load``. A model file is an ``.npz``: a zip archive holding ``sizes.npy``
(the layer sizes), ``W0.npy``, ``b0.npy``, ``W1.npy``, ... (each layer's weights and biases) and
``metadata.npy`` (a JSON object as text). ``np.load`` would read whatever an entry declares; a
file from elsewhere could declare a trillion numbers, hide gigabytes in an extra entry, hold
numbers too large for float32, or nest its metadata ten thousand levels deep. Here the zip
directory, then each entry's header (type and shape) are checked against what the layer sizes
call for, and only then are exactly that many bytes read. Entries a model does not use are
never read. Nothing is ever unpickled. Every problem is a ValueError in plain words.
What it is not: a general .npz reader, or the place the network's maths lives (network.py).
"""

from __future__ import annotations

import json
import math
import struct
import zipfile
from pathlib import Path

import numpy as np

MAX_PARAMETERS = 20_000_000   # 80 MB of float32: 180 times the default network
MAX_LAYERS = 64
MAX_ENTRIES = 100             # a model file has 2 per layer, plus sizes and metadata
MAX_METADATA_CHARS = 1_000_000
MAX_DEPTH = 32                # metadata nested deeper than this is not DigitLab's
NUMBERS = "fiu"               # floats and whole numbers: the kinds weights may be stored as


def read_model_file(path, sizes=None):
    """(layer sizes, {"W0": float32 array, "b0": ..., ...}, metadata dict) from a model file.

    With ``sizes``, a file holding another architecture is refused. Raises FileNotFoundError
    (or another OSError) when the file cannot be opened, ValueError when it is malformed.
    """
    path = Path(path)
    with open(path, "rb") as f:
        if f.read(6) == b"\x93NUMPY":
            raise malformed(path, "it holds a single array, not a saved model")
        entries, directory_size = zip_directory(f)
        if entries is None:
            raise malformed(path, "it is not a zip archive of arrays, as model files are")
        if entries > MAX_ENTRIES or directory_size > 200 * MAX_ENTRIES:
            raise malformed(path, f"it lists {entries:,} entries; a model has a few")
        try:
            with zipfile.ZipFile(f) as archive:
                return read_entries(path, archive, sizes)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as e:
            raise malformed(path, f"the archive is damaged: {e}") from None


def read_entries(path, archive, sizes):
    """The checked contents of an open model archive (see read_model_file)."""
    names = set(archive.namelist())
    if "sizes.npy" not in names:
        raise ValueError(f"{path} is not a DigitLab model file: it has no 'sizes' entry.")
    file_sizes = read_sizes(path, archive)
    if sizes is not None and file_sizes != tuple(sizes):
        raise ValueError(f"{path} holds a network of sizes {file_sizes}, expected {tuple(sizes)}.")
    arrays = {}
    for l, (n_in, n_out) in enumerate(zip(file_sizes[:-1], file_sizes[1:])):
        for name, shape in ((f"W{l}", (n_in, n_out)), (f"b{l}", (n_out,))):
            if f"{name}.npy" not in names:
                raise ValueError(f"{path}: {name} has shape None, expected {shape} for sizes "
                                 f"{file_sizes}; the file is malformed.")
            got = read_array(path, archive, name, NUMBERS, shape, f"for sizes {file_sizes}")
            with np.errstate(over="ignore", invalid="ignore"):
                arrays[name] = got.astype(np.float32)
            if not np.isfinite(arrays[name]).all():
                raise ValueError(f"{path}: {name} contains NaN or infinite values, or numbers beyond "
                                 f"±{np.finfo(np.float32).max:.1e} (too large for 32-bit floats).")
    metadata = {}
    if "metadata.npy" in names:
        metadata = read_metadata(path, archive)
    return file_sizes, arrays, metadata


def read_sizes(path, archive) -> tuple:
    """The layer sizes: 2 to MAX_LAYERS whole numbers, at most MAX_PARAMETERS parameters in all."""
    sizes = read_array(path, archive, "sizes", "iu", None, "", max_items=MAX_LAYERS)
    sizes = tuple(int(s) for s in sizes.ravel())
    if len(sizes) < 2 or min(sizes) < 1:
        raise malformed(path, f"its sizes {sizes} do not describe a network")
    parameters = sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
    if parameters > MAX_PARAMETERS:
        raise malformed(path, f"its sizes {sizes} call for {parameters:,} parameters, more than the "
                              f"{MAX_PARAMETERS:,} of any DigitLab network")
    return sizes


def read_metadata(path, archive) -> dict:
    """The metadata: a JSON object, at most MAX_METADATA_CHARS long and MAX_DEPTH deep."""
    text = read_array(path, archive, "metadata", "U", (), "", max_items=1, max_bytes=4 * MAX_METADATA_CHARS)
    try:
        metadata = json.loads(str(text))
        too_deep = depth(metadata) > MAX_DEPTH
    except json.JSONDecodeError:
        raise ValueError(f"{path}: its metadata is not valid JSON; the file is malformed.") from None
    except RecursionError:  # nested thousands of levels deep
        too_deep = True
    if too_deep:
        raise ValueError(f"{path}: its metadata is nested more than {MAX_DEPTH} levels deep; "
                         "the file is malformed.")
    if not isinstance(metadata, dict):
        kind = {list: "a list", str: "a string", bool: "true or false"}.get(type(metadata), "a number")
        raise ValueError(f"{path}: its metadata must be a JSON object ({{...}}), not {kind}; "
                         "the file is malformed.")
    return metadata


def read_array(path, archive, name, kinds, shape, context, max_items=None, max_bytes=None) -> np.ndarray:
    """One entry as an array, after checking its type, its shape and its size in the zip directory."""
    info = archive.getinfo(f"{name}.npy")
    with archive.open(info) as f:
        try:
            version = np.lib.format.read_magic(f)
            read_header = {(1, 0): np.lib.format.read_array_header_1_0,
                           (2, 0): np.lib.format.read_array_header_2_0}.get(version)
            if read_header is None:
                raise ValueError(f"format version {version} is not one model files use")
            got_shape, fortran_order, dtype = read_header(f)
        except (ValueError, SyntaxError, TypeError) as e:
            raise malformed(path, f"the header of its {name} entry is unreadable ({e})") from None
        if dtype.hasobject:
            raise malformed(path, f"its {name} entry holds Python objects, which could run code when read")
        if dtype.kind not in kinds or dtype.fields is not None or dtype.subdtype is not None:
            wanted = "text" if kinds == "U" else "whole numbers" if kinds == "iu" else "numbers"
            raise malformed(path, f"its {name} entry holds values of type {dtype}, not {wanted}")
        if shape is not None and got_shape != shape:
            raise ValueError(f"{path}: {name} has shape {got_shape}, expected {shape} {context}; "
                             "the file is malformed.")
        count = math.prod(got_shape)
        if max_items is not None and count > max_items:
            raise malformed(path, f"its {name} entry holds {count:,} values, more than {max_items:,}")
        nbytes = count * dtype.itemsize
        if max_bytes is not None and nbytes > max_bytes:
            raise malformed(path, f"its {name} entry is {nbytes:,} bytes long, more than {max_bytes:,}")
        if info.file_size != f.tell() + nbytes:
            raise malformed(path, f"its {name} entry is {info.file_size:,} bytes long, but its header "
                                  f"announces {f.tell() + nbytes:,}")
        data = f.read(nbytes)  # exactly what the checked header announces
        if len(data) != nbytes:
            raise malformed(path, f"its {name} entry is cut short")
    return np.frombuffer(data, dtype).reshape(got_shape, order="F" if fortran_order else "C")


def zip_directory(f) -> tuple:
    """(number of entries, directory size in bytes) from a zip file's end record; (None, 0) if none."""
    f.seek(0, 2)
    size = f.tell()
    tail_size = min(size, 22 + 0xFFFF)  # the end record (22 bytes) and a comment of up to 64 KiB
    f.seek(size - tail_size)
    tail = f.read(tail_size)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None, 0
    _, _, _, _, entries, directory_size, _, _ = struct.unpack("<4s4H2LH", tail[at:at + 22])
    f.seek(0)
    return entries, directory_size


def depth(value) -> int:
    """How deeply lists and objects nest in a JSON value (a number or a string: 0), without recursion."""
    deepest, todo = 0, [(value, 0)]
    while todo:
        value, level = todo.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is not None:
            deepest = max(deepest, level + 1)
            todo.extend((child, level + 1) for child in children)
    return deepest


def malformed(path, why) -> ValueError:
    """The error for a file that is not a model DigitLab can read safely, saying why."""
    return ValueError(f"{path} is not a DigitLab model file that can be read safely ({why}).")
