"""Tests for digitlab.drawing.store: saving, loading and deleting the learner's drawings."""
import multiprocessing
import signal
import struct
import subprocess
import sys
import threading
import time
import tracemalloc
import zlib

import numpy as np
import pytest

from digitlab.drawing.store import DrawingStore, count_digits, default_root, rarest_digit


def drawing(seed=0):
    """A random 28x28 float image in [0, 1] whose values survive the 8-bit round trip."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(28, 28)) / 255.0


def add_many(root, label, n, go=None):
    """Add n drawings of one digit to the store at root, once go (if given) is set."""
    store = DrawingStore(root)
    if go is not None:
        go.wait(timeout=30)
    for i in range(n):
        store.add(drawing(i), label)


def test_added_drawings_load_back_identically(tmp_path):
    store = DrawingStore(tmp_path)
    store.add(drawing(1), 3)
    store.add(drawing(2), 7)
    X, y = store.load()
    assert X.dtype == np.float32 and X.shape == (2, 28, 28)
    assert y.tolist() == [3, 7]
    assert np.allclose(X[0], drawing(1), atol=1e-6)
    assert np.allclose(X[1], drawing(2), atol=1e-6)


def test_drawings_survive_a_new_store_on_the_same_folder(tmp_path):
    id_ = DrawingStore(tmp_path).add(drawing(), 5)
    reopened = DrawingStore(tmp_path)
    assert [(i, label) for i, label, _ in reopened.items()] == [(id_, 5)]


def test_drawing_is_a_png_in_its_digit_folder(tmp_path):
    from PIL import Image

    id_ = DrawingStore(tmp_path).add(np.ones((28, 28)), 4)
    path = tmp_path / "4" / f"{id_}.png"
    with Image.open(path) as picture:
        assert picture.mode == "L" and picture.size == (28, 28)
        assert np.asarray(picture).min() == 255
    assert path.stat().st_mode & 0o777 == 0o644  # readable by others, like any saved picture


def test_strokes_are_saved_next_to_the_drawing(tmp_path):
    store = DrawingStore(tmp_path)
    strokes = [[[1.5, 2.0], [3.0, 4.0]], [[10, 10]]]
    id_ = store.add(drawing(), 2, strokes=strokes)
    assert (tmp_path / "2" / f"{id_}.json").exists()
    assert store.strokes(id_) == strokes
    assert store.strokes(store.add(drawing(), 2)) is None


def test_empty_store_loads_empty_arrays(tmp_path):
    store = DrawingStore(tmp_path / "not-created-yet")
    X, y = store.load()
    assert X.shape == (0, 28, 28) and y.shape == (0,)
    assert len(store) == 0
    assert store.counts() == {d: 0 for d in range(10)}


def test_delete_removes_the_drawing_and_its_strokes(tmp_path):
    store = DrawingStore(tmp_path)
    keep = store.add(drawing(1), 1)
    gone = store.add(drawing(2), 1, strokes=[[[0, 0]]])
    store.delete(gone)
    assert [i for i, _, _ in store.items()] == [keep]
    assert list((tmp_path / "1").iterdir()) == [tmp_path / "1" / f"{keep}.png"]


def test_delete_unknown_id_raises_key_error(tmp_path):
    with pytest.raises(KeyError, match="no drawing"):
        DrawingStore(tmp_path).delete("20250101-000000-000000-00000000")


def test_counts_and_len_follow_adds_and_deletes(tmp_path):
    store = DrawingStore(tmp_path)
    ids = [store.add(drawing(i), label) for i, label in enumerate([0, 0, 9, 3, 0])]
    store.delete(ids[3])
    assert store.counts() == {0: 3, 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, 6: 0, 7: 0, 8: 0, 9: 1}
    assert len(store) == 4


def test_items_list_oldest_first(tmp_path):
    store = DrawingStore(tmp_path)
    (tmp_path / "8").mkdir()
    (tmp_path / "8" / "20200101-000000-aaaaaaaaaaaa.png").write_bytes(b"older")
    newer = store.add(drawing(), 2)
    assert [i for i, _, _ in store.items()] == ["20200101-000000-aaaaaaaaaaaa", newer]


def test_writing_leaves_no_temporary_files(tmp_path):
    store = DrawingStore(tmp_path)
    for i in range(5):
        store.add(drawing(i), i, strokes=[[[i, i]]])
    names = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert len(names) == 10
    assert not [n for n in names if n.startswith(".")]


def test_failed_write_leaves_no_temporary_file(tmp_path, monkeypatch):
    from PIL import Image

    def broken_save(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Image.Image, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        DrawingStore(tmp_path).add(drawing(), 6)
    assert list((tmp_path / "6").iterdir()) == []


def test_processes_adding_at_once_lose_nothing(tmp_path):
    context = multiprocessing.get_context("spawn")  # works the same on every OS
    go = context.Event()
    workers = [context.Process(target=add_many, args=(tmp_path, label, 15, go))
               for label in [1, 1, 2, 7]]
    for w in workers:
        w.start()
    go.set()  # start adding together, once every process is up
    for w in workers:
        w.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0, 0, 0]
    store = DrawingStore(tmp_path)
    assert len(store) == 60
    assert store.counts()[1] == 30 and store.counts()[2] == 15 and store.counts()[7] == 15
    assert len({i for i, _, _ in store.items()}) == 60


def test_threads_adding_at_once_lose_nothing(tmp_path):
    go = threading.Event()
    threads = [threading.Thread(target=add_many, args=(tmp_path, 5, 20, go)) for _ in range(4)]
    for t in threads:
        t.start()
    go.set()
    for t in threads:
        t.join()
    X, y = DrawingStore(tmp_path).load()
    assert len(X) == 80 and set(y.tolist()) == {5}


def test_corrupt_file_is_skipped_with_a_warning_and_kept(tmp_path):
    store = DrawingStore(tmp_path)
    store.add(drawing(), 0)
    bad = tmp_path / "3" / "20200101-000000-badbadbadbad.png"
    bad.parent.mkdir()
    bad.write_bytes(b"this is not a picture")
    with pytest.warns(UserWarning, match="20200101-000000-badbadbadbad.png"):
        X, y = store.load()
    assert y.tolist() == [0] and X.shape == (1, 28, 28)
    assert bad.exists()


def test_picture_of_the_wrong_size_is_skipped_with_a_warning(tmp_path):
    from PIL import Image

    store = DrawingStore(tmp_path)
    (tmp_path / "1").mkdir()
    Image.new("L", (32, 32)).save(tmp_path / "1" / "big.png")
    with pytest.warns(UserWarning, match="not 28x28"):
        X, y = store.load()
    assert len(X) == 0 and len(y) == 0


def test_other_files_and_folders_are_ignored(tmp_path):
    store = DrawingStore(tmp_path)
    store.add(drawing(), 4)
    (tmp_path / "notes.txt").write_text("my drawings")
    (tmp_path / "4" / ".tmp-unfinished.png").write_bytes(b"")
    (tmp_path / "extra").mkdir()
    (tmp_path / "extra" / "x.png").write_bytes(b"")
    assert len(store) == 1
    assert store.load()[1].tolist() == [4]


@pytest.mark.parametrize("label", [10, -1, 3.0, "3", True, None])
def test_bad_label_raises_value_error(tmp_path, label):
    with pytest.raises(ValueError, match="label"):
        DrawingStore(tmp_path).add(drawing(), label)
    assert not tmp_path.exists() or not any(tmp_path.rglob("*.png"))


def test_numpy_integer_label_is_accepted(tmp_path):
    store = DrawingStore(tmp_path)
    store.add(drawing(), np.uint8(8))
    assert store.counts()[8] == 1


@pytest.mark.parametrize("shape", [(784,), (28, 27), (1, 28, 28), (56, 56)])
def test_image_of_wrong_shape_raises_value_error(tmp_path, shape):
    with pytest.raises(ValueError, match="28x28"):
        DrawingStore(tmp_path).add(np.zeros(shape), 1)


def test_image_outside_zero_to_one_raises_value_error(tmp_path):
    store = DrawingStore(tmp_path)
    with pytest.raises(ValueError, match="divide by 255"):
        store.add(np.full((28, 28), 255.0), 1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        store.add(np.full((28, 28), -0.5), 1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        store.add(np.full((28, 28), np.nan), 1)
    assert len(store) == 0


def test_float_rounding_just_outside_zero_to_one_is_accepted(tmp_path):
    image = np.zeros((28, 28), dtype=np.float32)
    image[10, 10], image[0, 0] = 1.0000001, -1e-9
    store = DrawingStore(tmp_path)
    store.add(image, 2)
    X, _ = store.load()
    assert X[0, 10, 10] == 1.0 and X[0, 0, 0] == 0.0


def test_a_converted_canvas_drawing_round_trips(tmp_path):
    from digitlab.drawing.canvas import canvas_to_mnist

    canvas = np.full((200, 200, 4), 255, dtype=np.uint8)  # white RGBA canvas
    canvas[40:160, 95:105, :3] = 0  # a black vertical stroke: a "1"
    image = canvas_to_mnist(canvas)
    store = DrawingStore(tmp_path)
    store.add(image, 1, strokes=[[[100, 40], [100, 160]]])
    X, y = store.load()
    assert y.tolist() == [1]
    assert np.abs(X[0] - image).max() <= 0.5 / 255 + 1e-6  # only 8-bit rounding


def test_strokes_that_are_not_json_raise_value_error(tmp_path):
    with pytest.raises(ValueError, match="strokes"):
        DrawingStore(tmp_path).add(drawing(), 1, strokes=[object()])


def test_default_root_follows_digitlab_data(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path))
    assert default_root() == tmp_path / "custom"
    assert DrawingStore().root == tmp_path / "custom"
    monkeypatch.delenv("DIGITLAB_DATA")
    assert default_root().parts[-2:] == ("data", "custom")


def test_next_digit_is_one_with_the_fewest_drawings():
    counts = {d: 5 for d in range(10)} | {3: 1, 6: 2}
    assert rarest_digit(counts) == 3
    assert rarest_digit(counts, skip=3) == 6


def test_next_digit_treats_missing_digits_as_none_collected():
    assert rarest_digit({0: 2, 1: 1}) == 2


def test_next_digit_breaks_ties_at_random_among_the_rarest():
    counts = {d: (0 if d in (2, 5, 9) else 4) for d in range(10)}
    rng = np.random.default_rng(0)
    seen = {rarest_digit(counts, rng=rng) for _ in range(60)}
    assert seen == {2, 5, 9}


def test_skipping_the_only_rarest_digit_asks_for_the_next_rarest():
    counts = {d: 3 for d in range(10)} | {4: 0}
    assert rarest_digit(counts, skip=4, rng=np.random.default_rng(1)) != 4


# ---- a hostile or half-written store ------------------------------------------------------------

def png_claiming(width, height):
    """The bytes of a PNG whose header claims width x height gray pixels (the pixels are not there)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


def test_files_that_cannot_be_read_are_not_counted(tmp_path):
    store = DrawingStore(tmp_path)
    keep = store.add(drawing(), 3)
    for i in range(20):
        (tmp_path / str(i % 10) / f"20200101-000000-{i:012d}.png").parent.mkdir(exist_ok=True)
        (tmp_path / str(i % 10) / f"20200101-000000-{i:012d}.png").write_bytes(b"")
    assert len(store) == 1 and store.counts()[3] == 1 and sum(store.counts().values()) == 1
    assert [i for i, _, _ in store.readable_items()] == [keep] and len(store.items()) == 21


@pytest.mark.parametrize("side, words", [(15_000, "more than 178,956,970 pixels"), (10_000, "10000x10000, not 28x28")])
def test_a_huge_picture_is_refused_with_a_plain_warning_before_it_is_decoded(tmp_path, side, words):
    store = DrawingStore(tmp_path)
    store.add(drawing(), 1)
    (tmp_path / "7").mkdir()
    (tmp_path / "7" / "20200101-000000-bombbombbomb.png").write_bytes(png_claiming(side, side))
    tracemalloc.start()
    try:
        with pytest.warns(UserWarning, match=words):
            X, y = store.load()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert y.tolist() == [1] and len(store) == 1 and peak < 1 << 20


def test_a_corrupt_strokes_file_reads_as_none_with_a_warning(tmp_path):
    store = DrawingStore(tmp_path)
    id_ = store.add(drawing(), 2, strokes=[[[1, 2]]])
    (tmp_path / "2" / f"{id_}.json").write_bytes(b"\xff{[ not json")
    with pytest.warns(UserWarning, match="cannot read it"):
        assert store.strokes(id_) is None
    store.delete(id_)
    assert list((tmp_path / "2").iterdir()) == []


KILLED_ADD = """
import os, signal, sys, time
from PIL import Image
from digitlab.drawing.store import DrawingStore

def save(self, *args, **kwargs):  # the moment the picture is written:
    if sys.argv[2] == "kill":
        os.kill(os.getpid(), signal.SIGKILL)  # killed with its strokes written and its picture half-way
    time.sleep(3)                              # or slow, while another process opens the store
    return real_save(self, *args, **kwargs)

real_save = Image.Image.save
Image.Image.save = save
DrawingStore(sys.argv[1]).add([[0.5] * 28] * 28, 4, strokes=[[[1, 2], [3, 4]]])
"""


def test_what_a_killed_add_left_is_deleted_by_the_next_store_but_a_running_add_is_left_alone(tmp_path):
    killed = subprocess.run([sys.executable, "-c", KILLED_ADD, str(tmp_path), "kill"], timeout=60)
    assert killed.returncode == -signal.SIGKILL
    left = sorted(p.name for p in (tmp_path / "4").iterdir())
    assert len(left) == 2 and left[0].startswith(".") and left[0].endswith(".tmp") and left[1].endswith(".json")
    assert len(DrawingStore(tmp_path)) == 0 and list((tmp_path / "4").iterdir()) == []

    slow = subprocess.Popen([sys.executable, "-c", KILLED_ADD, str(tmp_path), "slow"])
    for _ in range(200):
        if list((tmp_path / "4").glob("*.json")):
            break
        time.sleep(0.05)
    DrawingStore(tmp_path)  # opened while the other process is between strokes and picture
    assert slow.wait(timeout=60) == 0
    (id_, _, _), = DrawingStore(tmp_path).items()
    assert DrawingStore(tmp_path).strokes(id_) == [[[1, 2], [3, 4]]]


def delete_all(root, ids, together, outcomes):
    """Delete every id in turn, at the same moment as the other workers; report 'deleted' or the error."""
    store = DrawingStore(root)
    for id_ in ids:
        together.wait(timeout=30)
        try:
            store.delete(id_)
            outcomes.put("deleted")
        except Exception as err:
            outcomes.put(type(err).__name__)


def test_two_processes_deleting_the_same_drawing_get_the_documented_key_error(tmp_path):
    store = DrawingStore(tmp_path)
    ids = [store.add(drawing(i), i % 10) for i in range(60)]
    context = multiprocessing.get_context("spawn")
    together, outcomes = context.Barrier(2), context.Queue()
    workers = [context.Process(target=delete_all, args=(tmp_path, ids, together, outcomes)) for _ in range(2)]
    for w in workers:
        w.start()
    results = [outcomes.get(timeout=60) for _ in range(2 * len(ids))]
    for w in workers:
        w.join(timeout=60)
    assert set(results) <= {"deleted", "KeyError"}, results
    assert results.count("deleted") == len(ids) and len(DrawingStore(tmp_path).items()) == 0


def test_load_pixels_gives_the_files_bytes_and_load_the_same_scaled_to_one(tmp_path):
    store = DrawingStore(tmp_path)
    store.add(drawing(1), 3)
    store.add(drawing(2), 7)
    pixels, labels = store.load_pixels()
    assert pixels.dtype == np.uint8 and pixels.shape == (2, 28, 28) and labels.tolist() == [3, 7]
    np.testing.assert_array_equal(pixels[0], np.round(drawing(1) * 255))
    X, y = store.load()
    np.testing.assert_array_equal(X, pixels.astype(np.float32) / 255)
    assert DrawingStore(tmp_path / "empty").load_pixels()[0].shape == (0, 28, 28)


def test_count_digits_counts_the_items_of_each_label():
    items = [("a", 3, None), ("b", 3, None), ("c", 9, None)]
    assert count_digits(items) == {**dict.fromkeys(range(10), 0), 3: 2, 9: 1}
    assert count_digits([]) == dict.fromkeys(range(10), 0)
