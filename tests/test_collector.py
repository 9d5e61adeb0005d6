"""The collector's Python half: asking, saving with the label, skipping, counts, gallery, delete."""

import re

import numpy as np
import pytest
from PIL import Image

from digitlab import DrawingStore
from digitlab.drawing.canvas import canvas_to_mnist
from digitlab.drawing.class_store import ClassStore
from digitlab.widgets import Collector
from digitlab.widgets.collector import GALLERY_SIZE, counts_html
from digitlab.drawing.reading import strokes_to_pixels

ONE = [[[140.0, 40.0], [140.0, 240.0]]]
SEVEN = [[[70.0, 60.0], [210.0, 60.0]], [[210.0, 60.0], [120.0, 240.0]]]


def shown_counts(counts_value):
    """{digit: count} as the counts widget shows them, read from its HTML whatever the attribute order."""
    cells = re.findall(r"<div ([^>]*class=\"dl-count\"[^>]*)>", counts_value)
    attrs = [dict(re.findall(r'([\w-]+)="([^"]*)"', cell)) for cell in cells]
    return {int(a["data-digit"]): int(a["data-count"]) for a in attrs}


def draw_and_save(collector, strokes=ONE):
    collector.canvas.strokes = strokes
    return collector.save()


def test_it_asks_for_the_digit_with_fewest_drawings(tmp_path):
    store = DrawingStore(tmp_path)
    for digit in range(10):
        if digit != 6:
            store.add(np.zeros((28, 28)), digit)
    collector = Collector(store, seed=0)
    assert collector.digit == 6
    assert 'data-digit="6"' in collector.prompt.value and "Draw a" in collector.prompt.value


def test_save_stores_the_drawing_under_the_digit_asked_for(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    collector.ask(7)
    id_ = draw_and_save(collector, SEVEN)
    path = tmp_path / "7" / f"{id_}.png"
    assert path.exists()
    with Image.open(path) as picture:
        saved = np.asarray(picture) / 255
    expected = canvas_to_mnist(strokes_to_pixels(SEVEN))
    assert np.abs(saved - expected).max() <= 0.5 / 255 + 1e-6
    assert collector.store.strokes(id_) == SEVEN
    assert collector.canvas.strokes == []  # the pad is ready for the next digit
    assert "Saved your 7" in collector.status.value


def test_after_a_save_the_counts_and_gallery_show_it_and_the_next_digit_is_another(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    asked = collector.digit
    draw_and_save(collector)
    assert shown_counts(collector.counts.value)[asked] == 1
    assert 'data-total="1"' in collector.counts.value
    assert len(collector.gallery.children) == 1
    assert collector.digit != asked


def test_saving_an_empty_pad_stores_nothing_and_says_why(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    asked = collector.digit
    assert collector.save() is None
    assert len(collector.store) == 0
    assert "empty" in collector.status.value
    assert collector.digit == asked


def test_skip_asks_for_another_digit_and_clears_the_pad(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    asked = collector.digit
    collector.canvas.strokes = ONE
    collector.skip()
    assert collector.digit != asked
    assert collector.canvas.strokes == [] and len(collector.store) == 0


def test_collecting_keeps_the_digits_balanced(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=1)
    for _ in range(20):
        draw_and_save(collector)
    assert set(collector.store.counts().values()) == {2}


def test_delete_removes_the_file_and_undo_delete_brings_it_back(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    collector.ask(3)
    id_ = draw_and_save(collector, SEVEN)
    before = collector.store.load()[0][0]
    collector.delete(id_)
    assert not (tmp_path / "3" / f"{id_}.png").exists() and not (tmp_path / "3" / f"{id_}.json").exists()
    assert len(collector.gallery.children) == 0 and 'data-total="0"' in collector.counts.value
    assert collector.restore_button.layout.display is None  # "Undo delete" shows
    new_id = collector.restore()
    assert (tmp_path / "3" / f"{new_id}.png").exists()
    np.testing.assert_array_equal(collector.store.load()[0][0], before)
    assert collector.store.strokes(new_id) == SEVEN
    assert collector.restore_button.layout.display == "none"


def test_the_gallery_buttons_delete_their_own_drawing(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    first = draw_and_save(collector)
    second = draw_and_save(collector)
    newest_item = collector.gallery.children[0]
    assert f"dl-id-{second}" in newest_item._dom_classes
    newest_item.children[-1].click()
    assert [i for i, _, _ in collector.store.items()] == [first]


def test_a_new_collector_on_the_same_folder_shows_earlier_drawings(tmp_path):
    draw_and_save(Collector(DrawingStore(tmp_path), seed=0))
    draw_and_save(Collector(DrawingStore(tmp_path), seed=0))
    again = Collector(DrawingStore(tmp_path), seed=0)
    assert len(again.store) == 2 and len(again.gallery.children) == 2


def test_the_gallery_shows_only_the_latest_drawings(tmp_path):
    store = DrawingStore(tmp_path)
    ids = [store.add(np.eye(28), d % 10) for d in range(GALLERY_SIZE + 3)]
    collector = Collector(store)
    assert len(collector.gallery.children) == GALLERY_SIZE
    assert f"dl-id-{ids[-1]}" in collector.gallery.children[0]._dom_classes
    assert f"({GALLERY_SIZE + 3}, the latest {GALLERY_SIZE} shown)" in collector.gallery_title.value


def test_the_store_defaults_to_the_data_folder_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path))
    collector = Collector(seed=0)
    draw_and_save(collector)
    assert len(list((tmp_path / "custom").glob("*/*.png"))) == 1


def test_ask_refuses_something_that_is_not_a_digit(tmp_path):
    collector = Collector(DrawingStore(tmp_path))
    with pytest.raises(ValueError, match="0 to 9"):
        collector.ask(10)


def test_counts_say_when_there_are_enough_drawings_for_fine_tuning():
    assert "stand-ins until there are 20" in counts_html(dict.fromkeys(range(10), 1))
    assert "enough for fine-tuning" in counts_html(dict.fromkeys(range(10), 2))


def test_a_huge_picture_and_a_corrupt_strokes_file_do_not_break_the_collector(tmp_path):
    from test_store import png_claiming

    store = DrawingStore(tmp_path)
    id_ = store.add(np.eye(28), 5, strokes=ONE)
    (tmp_path / "5" / f"{id_}.json").write_text("[[[140.0, 40.0], [140")  # cut short
    (tmp_path / "8").mkdir()
    (tmp_path / "8" / "20200101-000000-bombbombbomb.png").write_bytes(png_claiming(15_000, 15_000))
    (tmp_path / "8" / "20200101-000001-emptyemptyem.png").write_bytes(b"")
    collector = Collector(store, seed=0)
    assert len(collector.gallery.children) == 1 and shown_counts(collector.counts.value)[8] == 0
    with pytest.warns(UserWarning, match="strokes file .* cannot read it"):
        collector.delete(id_)
    assert "Deleted a 5" in collector.status.value and not list((tmp_path / "5").iterdir())
    assert collector.restore() is not None and len(collector.store) == 1  # back, without its strokes


def test_without_a_student_name_there_is_nothing_to_share(tmp_path, monkeypatch):
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    collector = Collector(DrawingStore(tmp_path / "mine"), class_store=ClassStore(tmp_path / "class"))
    assert collector.share_box.layout.display == "none"
    monkeypatch.setenv("JUPYTERHUB_USER", "ana/../bo")  # not a plain folder name: no sharing either
    assert Collector(DrawingStore(tmp_path / "mine")).share_box.layout.display == "none"


def test_ticking_share_copies_your_drawings_to_the_class_and_new_ones_follow(tmp_path):
    classes = ClassStore(tmp_path / "class")
    collector = Collector(DrawingStore(tmp_path / "mine"), student="ana", class_store=classes)
    first = draw_and_save(collector)
    assert classes.students() == [] and collector.share_box.layout.display != "none"
    collector.share_box.value = True
    assert [i for i, _, _ in classes.student("ana").items()] == [first]
    assert "1 drawing and every new one are shared" in collector.status.value
    second = draw_and_save(collector, SEVEN)
    assert "shared with the class" in collector.status.value
    collector.delete(first)
    assert [i for i, _, _ in classes.student("ana").items()] == [second]
    assert Collector(DrawingStore(tmp_path / "mine"), student="ana", class_store=classes).share_box.value


def test_unticking_share_takes_your_drawings_back_from_the_class(tmp_path, monkeypatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "bo")  # on a class server the login names the student
    classes = ClassStore(tmp_path / "class")
    collector = Collector(DrawingStore(tmp_path / "mine"), class_store=classes)
    draw_and_save(collector)
    collector.share_box.value = True
    assert classes.students() == ["bo"]
    collector.share_box.value = False
    assert classes.students() == [] and not classes.is_sharing("bo")
    assert len(collector.store) == 1 and "no longer shared" in collector.status.value


def test_undo_delete_is_offered_only_until_the_next_save(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    draw_and_save(collector)
    collector.delete(draw_and_save(collector))
    assert collector.restore_button.layout.display is None  # "Undo delete" shows
    draw_and_save(collector)
    assert collector.restore_button.layout.display == "none"
    assert collector.restore() is None and len(collector.store) == 2  # nothing comes back later either


def test_saving_reuses_the_gallery_items_already_shown(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    first = draw_and_save(collector)
    item = collector.gallery.children[0]
    draw_and_save(collector)
    assert collector.gallery.children[1] is item and f"dl-id-{first}" in item._dom_classes
    collector.delete(first)
    assert item.comm is None  # the deleted drawing's widgets are closed, not left behind


def saved_picture(collector, id_):
    """A saved drawing's picture as floats in [0, 1]."""
    (path,) = [p for i, _, p in collector.store.items() if i == id_]
    with Image.open(path) as picture:
        return np.asarray(picture) / 255


def test_save_right_after_a_stroke_arrives_stores_that_stroke_too(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    assert collector.image is None  # an empty pad: nothing to save
    collector.canvas.strokes = SEVEN[:1]
    collector.canvas.strokes = SEVEN  # the last stroke arrives, and Save is pressed at once
    id_ = collector.save()
    expected = canvas_to_mnist(strokes_to_pixels(SEVEN))
    assert np.abs(saved_picture(collector, id_) - expected).max() <= 0.5 / 255 + 1e-6
    assert collector.image is None and collector.canvas.strokes == []


def test_strokes_changed_in_place_are_converted_again_before_saving(tmp_path):
    collector = Collector(DrawingStore(tmp_path), seed=0)
    collector.canvas.strokes = SEVEN[:1]
    collector.canvas.strokes.append(SEVEN[1])  # no change event for this
    id_ = collector.save()
    expected = canvas_to_mnist(strokes_to_pixels(SEVEN))
    assert np.abs(saved_picture(collector, id_) - expected).max() <= 0.5 / 255 + 1e-6
    assert collector.store.strokes(id_) == SEVEN


def test_skip_and_share_use_the_counts_shown(tmp_path):
    classes = ClassStore(tmp_path / "class")
    collector = Collector(DrawingStore(tmp_path / "mine"), seed=0, student="ana", class_store=classes)
    for digit in range(10):
        if digit != 4:
            collector.ask(digit)
            draw_and_save(collector)
    collector.ask(2)
    collector.skip()
    assert collector.digit == 4  # the only digit without a drawing
    collector.share_box.value = True
    assert "Your 9 drawings and every new one are shared" in collector.status.value
