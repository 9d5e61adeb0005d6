"""The class's shared drawings: one folder per student, a copy that follows the private store, many writers."""

import threading
import warnings

import numpy as np
import pytest
from PIL import Image

from digitlab import DrawingStore
from digitlab.drawing.class_store import ClassStore


def drawing(value):
    """A 28x28 drawing whose ink is one value, so each drawing can be told apart after a round trip."""
    image = np.zeros((28, 28), np.float32)
    image[4:24, 12:16] = value
    return image


def test_share_copies_every_drawing_with_its_id_label_and_bytes(tmp_path):
    private = DrawingStore(tmp_path / "mine")
    ids = [private.add(drawing(0.5), 3, strokes=[[[1.0, 2.0], [3.0, 4.0]]]), private.add(drawing(1.0), 7)]
    classes = ClassStore(tmp_path / "class")
    assert classes.share("ana", private) == 2
    shared = classes.student("ana")
    assert [(i, label) for i, label, _ in shared.items()] == [(i, label) for i, label, _ in private.items()]
    for (_, _, mine), (_, _, copy) in zip(private.items(), shared.items()):
        assert copy.read_bytes() == mine.read_bytes()
    assert shared.strokes(ids[0]) == [[[1.0, 2.0], [3.0, 4.0]]]


def test_sharing_again_follows_deletes_and_relabels_in_the_private_store(tmp_path):
    private = DrawingStore(tmp_path / "mine")
    keep, gone, moved = (private.add(drawing(v), 1) for v in (0.2, 0.4, 0.6))
    classes = ClassStore(tmp_path / "class")
    classes.share("ana", private)
    private.delete(gone)
    (private.root / "4").mkdir()
    (private.root / "1" / f"{moved}.png").rename(private.root / "4" / f"{moved}.png")  # relabelled by hand
    classes.share("ana", private)
    assert sorted((i, label) for i, label, _ in classes.student("ana").items()) == sorted([(keep, 1), (moved, 4)])


def test_withdraw_takes_back_every_drawing_and_the_folder(tmp_path):
    private = DrawingStore(tmp_path / "mine")
    private.add(drawing(1.0), 2)
    classes = ClassStore(tmp_path / "class")
    classes.share("ana", private)
    assert classes.is_sharing("ana")
    assert classes.withdraw("ana") == 1
    assert not classes.is_sharing("ana") and classes.students() == [] and len(private) == 1


def test_load_gives_every_drawing_its_writer_as_uint8(tmp_path):
    classes = ClassStore(tmp_path)
    classes.add("bo", drawing(1.0), 5)
    classes.add("ana", drawing(0.6), 1)
    classes.add("ana", drawing(0.2), 2)
    X, y, writers = classes.load()
    assert X.dtype == np.uint8 and X.shape == (3, 28, 28)
    assert writers.tolist() == ["ana", "ana", "bo"] and y.tolist() == [1, 2, 5]
    assert [int(x.max()) for x in X] == [round(0.6 * 255), round(0.2 * 255), 255]


def test_students_are_the_named_folders_with_drawings_sorted(tmp_path):
    classes = ClassStore(tmp_path)
    classes.add("zoe", drawing(1.0), 0)
    classes.add("ana", drawing(1.0), 0)
    (tmp_path / "empty").mkdir()
    (tmp_path / ".hidden").mkdir()
    assert classes.students() == ["ana", "zoe"]
    assert ClassStore(tmp_path / "nothing-yet").students() == []
    assert ClassStore(tmp_path / "nothing-yet").load()[0].shape == (0, 28, 28)


@pytest.mark.parametrize("name", ["", "../bo", "a/b", ".hidden", "x" * 65, None, "ana b"])
def test_a_name_that_is_not_a_plain_folder_name_is_refused_in_plain_words(tmp_path, name):
    with pytest.raises(ValueError, match="a student's name must be"):
        ClassStore(tmp_path).student(name)


def test_many_students_saving_at_once_lose_nothing_and_a_reader_sees_only_whole_drawings(tmp_path):
    classes = ClassStore(tmp_path)
    names, per_student = ["ana", "bo", "chen", "dara"], 15
    done = threading.Event()

    def write(name):
        for i in range(per_student):
            classes.add(name, drawing((i + 1) / per_student), i % 10)

    def read(seen):
        while not done.is_set():
            X, y, writers = classes.load()
            seen.append(len(y))

    seen = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a half-written file would be skipped with a warning
        reader = threading.Thread(target=read, args=(seen,))
        reader.start()
        writers = [threading.Thread(target=write, args=(name,)) for name in names]
        for t in writers:
            t.start()
        for t in writers:
            t.join()
        done.set()
        reader.join()
    X, y, who = classes.load()
    assert len(y) == len(names) * per_student and sorted(set(who)) == names
    assert seen and all(n <= len(y) for n in seen)


def test_the_class_folder_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_CLASS", str(tmp_path / "class"))
    assert ClassStore().root == tmp_path / "class"
    monkeypatch.delenv("DIGITLAB_CLASS")
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "data"))
    assert ClassStore().root == tmp_path / "data" / "class"


def test_a_student_s_store_is_opened_once_and_tidied_once(tmp_path, monkeypatch):
    classes = ClassStore(tmp_path)
    classes.add("ana", drawing(1.0), 4)
    tidied = []
    monkeypatch.setattr(DrawingStore, "tidy", lambda self: tidied.append(self.root) or [])
    assert classes.student("ana") is classes.student("ana")
    classes.students()
    classes.load()
    repr(classes)
    assert tidied == []  # "ana" was opened (and tidied) by add, before tidy was watched
    other = ClassStore(tmp_path)
    other.students()
    other.load()
    other.student("ana")
    assert tidied == [tmp_path / "ana"]


def test_load_gives_the_pixels_the_files_hold_and_counts_only_readable_drawings(tmp_path):
    classes = ClassStore(tmp_path)
    classes.add("ana", drawing(0.6), 1)
    bad = tmp_path / "bo" / "2" / "20200101-000000-badbadbadbad.png"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"this is not a picture")
    assert classes.students() == ["ana", "bo"]  # a drawing file is there; whether it reads is load's business
    with pytest.warns(UserWarning, match="badbadbadbad"):
        X, y, writers = classes.load()
    assert writers.tolist() == ["ana"] and y.tolist() == [1]
    (png,) = (tmp_path / "ana" / "1").glob("*.png")
    with Image.open(png) as picture:
        np.testing.assert_array_equal(X[0], np.asarray(picture))
    assert len(classes) == 1
