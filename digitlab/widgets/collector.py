"""Collect your own labelled drawings for fine-tuning (notebook 08).

Collector asks for a digit ("Draw a 7"); you draw it on the pad and press Save, and it is
stored with its label in a DrawingStore (data/custom/<digit>/<id>.png, written atomically),
so it outlives the notebook and a kernel restart. Skip asks for another digit. The next digit
asked for is always one with the fewest drawings so far. Beside the pad (below it, in a narrow
window): what will be saved, and how many drawings of each digit there are; below, a gallery of
the latest ones, each with a Delete button, and "Undo delete" for a slip of the mouse until the
next drawing is saved. A student with a name (on a class server: their login) can tick "Share my
drawings with the class": while it is ticked, the class folder holds a copy of their drawings
(digitlab.drawing.class_store) for the teacher's class_digits notebook.

Not for: storing or choosing the digit (digitlab.drawing.store), drawing or converting
(digitlab.widgets.pad_canvas, digitlab.drawing). CSS classes
(dl-collector-...) are for tests.
"""

from __future__ import annotations

import html
import os

import ipywidgets as ipw
import numpy as np

from ..drawing.canvas import EmptyDrawingError, canvas_to_mnist
from ..drawing.class_store import ClassStore, check_student
from ..drawing.reading import strokes_to_pixels
from ..drawing.store import DrawingStore, count_digits, rarest_digit, read_picture
from ..finetune import MIN_DRAWINGS
from ..plumbing.text import plural
from .controls import button, caption, column, html_text, image, row
from .pad_canvas import PadCanvas, undo_and_clear_buttons
from .pictures import png_bytes, to_rgb
from .theme import ACCENT, BAD, BORDER, FILL, GOOD, QUIET, TEXT

GALLERY_SIZE = 40  # the gallery shows this many of the latest drawings
PAD_COLUMN = "296px"  # the pad (280 px and its border) and its buttons; long messages wrap inside it


def counts_html(counts, min_count=MIN_DRAWINGS) -> str:
    """How many drawings of each digit there are, as a row of ten small boxes, and the total."""
    total = sum(counts.values())
    most = max(max(counts.values()), 1)
    cells = []
    for digit in range(10):
        n = counts.get(digit, 0)
        cells.append(
            f'<div class="dl-count" data-digit="{digit}" data-count="{n}" style="width:2.6em;text-align:center">'
            f'<div style="height:3em;display:flex;align-items:flex-end;justify-content:center">'
            f'<div style="width:1.4em;height:{3 * n / most:.2f}em;background:{FILL};border-radius:2px"></div>'
            f'</div><div style="font-weight:600">{digit}</div>'
            f'<div style="color:{TEXT};font-variant-numeric:tabular-nums">{n}</div></div>')
    if total >= min_count:
        note = f"enough for fine-tuning (it needs {min_count})"
    else:
        note = f"fine-tuning uses stand-ins until there are {min_count}"
    return (f'<div class="dl-counts" data-total="{total}">'
            f'<div style="display:flex;flex-wrap:wrap;gap:2px">{"".join(cells)}</div>'
            f'<div style="color:{QUIET};margin-top:4px;line-height:1.4"><b class="dl-total" style="color:{TEXT}">{total}</b> '
            f'drawing{"" if total == 1 else "s"} collected: {note}.</div></div>')


def article(digit) -> str:
    """'a' as in 'a 7', but 'an' as in 'an 8'."""
    return "an" if digit == 8 else "a"


def read_image(path) -> np.ndarray:
    """A saved drawing's picture as float32 (28, 28) in [0, 1]."""
    return read_picture(path).astype(np.float32) / 255


def thumbnail(path) -> bytes:
    """A saved drawing as a PNG in the pad's colours, twice its size."""
    return png_bytes(to_rgb(read_image(path)), scale=2)


class Collector(ipw.VBox):
    """Asks for a digit, lets you draw and save it with its label, and shows what you collected."""

    def __init__(self, store: DrawingStore | None = None, seed=None, student: str | None = None,
                 class_store: ClassStore | None = None):
        self.store = store if store is not None else DrawingStore()
        self.student = student if student is not None else os.environ.get("JUPYTERHUB_USER")
        self.class_store = class_store if class_store is not None else ClassStore()
        self.rng = np.random.default_rng(seed)
        self.digit = 0
        self.saved = 0          # how many Save presses stored a drawing, for tests
        self.image = None       # the drawing on the pad as the 28x28 picture to save; None if the pad is empty
        self._drawn = []        # the strokes self.image was made from
        self._counts = {}       # drawings per digit, as refresh last read them from the store
        self._deleted = None    # (image (28, 28), label, strokes) of the last drawing deleted

        self.canvas = PadCanvas()
        self.prompt = html_text("dl-collector-prompt")
        self.save_button = button("Save", "dl-collector-save", "check", "primary")
        self.skip_button = button("Skip", "dl-collector-skip", "forward")
        self.undo_button, self.clear_button = undo_and_clear_buttons(self.canvas, "dl-collector")
        self.status = html_text("dl-collector-status")
        self.share_box = self._share_box()
        self.preview = image("dl-collector-preview", width=84, height=84)
        self.counts = html_text("dl-collector-counts")
        self.restore_button = button("Undo delete", "dl-collector-restore", "undo")
        self.restore_button.layout.display = "none"
        self.gallery_title = ipw.HTML()
        self.gallery = row([], max_width="760px")
        self.gallery.add_class("dl-collector-gallery")
        self._items = {}        # id -> its gallery item, made once

        left = column([self.prompt, self.canvas,
                       row([self.save_button, self.skip_button, self.undo_button, self.clear_button]),
                       self.share_box, self.status], width=PAD_COLUMN)
        right = column([caption("What will be saved (28\u00d728):"), self.preview,
                        caption("Your drawings per digit:"), self.counts])
        super().__init__([row([left, right]), row([self.gallery_title, self.restore_button], align_items="center"),
                          self.gallery], layout=ipw.Layout(padding="8px"))
        self.add_class("dl-collector")

        self.save_button.on_click(lambda _: self.save())
        self.skip_button.on_click(lambda _: self.skip())
        self.restore_button.on_click(lambda _: self.restore())
        self.canvas.observe(lambda _: self._show_preview(), ["strokes", "size", "brush"])
        self.share_box.observe(lambda _: self.share(), "value")
        counts = self.refresh()
        self.ask(rarest_digit(counts, rng=self.rng))
        self._show_preview()
        self._say("Draw the digit asked for, large, then press Save.", colour=TEXT)

    # ---- actions -----------------------------------------------------------------------------

    def ask(self, digit: int) -> None:
        """Ask for this digit next."""
        if not (isinstance(digit, (int, np.integer)) and 0 <= digit <= 9):
            raise ValueError(f"digit must be a whole number from 0 to 9, got {digit!r}")
        self.digit = int(digit)
        self.prompt.value = (f'<div class="dl-collector-ask" data-digit="{self.digit}" '
                             f'style="font-size:1.5em;line-height:1.6em;height:1.6em">Draw {article(self.digit)} '
                             f'<b style="font-size:1.5em;color:{ACCENT}">{self.digit}</b></div>')

    def save(self) -> str | None:
        """Store the drawing on the pad as the digit asked for; return its id (None if the pad is empty)."""
        strokes = [list(map(list, s)) for s in self.canvas.strokes]
        if strokes != self._drawn:  # strokes changed in place are not reported to the observer: convert again
            self._show_preview()
        if self.image is None:
            self._say(f"The pad is empty: draw {article(self.digit)} {self.digit} first, then press Save.", error=True)
            return None
        try:
            id_ = self.store.add(self.image, self.digit, strokes=strokes)
        except OSError as err:
            self._say(f"Could not save the drawing in {self.store.root}: {err}", error=True)
            return None
        self.saved += 1
        self._deleted = None  # "Undo delete" undoes the last thing done: after a save, it is gone
        label = self.digit
        self.canvas.clear()
        counts = self.refresh()
        shared = " (shared with the class)" if self._keep_class_copy() else ""
        self._say(f"Saved your {label}{shared}. Now {plural(counts[label], 'drawing')} of {label}.")
        self.ask(rarest_digit(counts, rng=self.rng))
        return id_

    def skip(self) -> None:
        """Ask for another digit (the one with the fewest drawings, not the one skipped)."""
        skipped = self.digit
        self.canvas.clear()
        self.ask(rarest_digit(self._counts, skip=skipped, rng=self.rng))  # the counts shown
        self._say(f"Skipped {skipped}.")

    def delete(self, id_: str) -> None:
        """Delete one drawing from the store (it can be brought back with restore)."""
        path = next((p for i, _, p in self.store.items() if i == id_), None)
        if path is None:
            self.refresh()
            self._say("That drawing was already gone.", error=True)
            return
        label = int(path.parent.name)
        self._deleted = (read_image(path), label, self.store.strokes(id_))
        self.store.delete(id_)
        self._keep_class_copy()
        self.refresh()
        self._say(f"Deleted {article(label)} {label}.")

    def restore(self) -> str | None:
        """Put the last deleted drawing back; return its new id."""
        if self._deleted is None:
            return None
        image, label, strokes = self._deleted
        self._deleted = None
        id_ = self.store.add(image, label, strokes=strokes)
        self._keep_class_copy()
        self.refresh()
        self._say(f"The {label} is back.")
        return id_

    def share(self) -> None:
        """Share all your drawings with the class if the box is ticked, else take them back."""
        if self.share_box.value:
            if self._keep_class_copy():
                n = sum(self._counts.values())  # the drawings shown
                self._say(f"Your {plural(n, 'drawing')} and every new one are shared with the class.")
            return
        try:
            self.class_store.withdraw(self.student)
        except OSError as err:
            self._say(f"Could not take your drawings back from {self.class_store.root}: {err}", error=True)
            return
        self._say("Your drawings are no longer shared with the class.")

    def _keep_class_copy(self) -> bool:
        """If sharing, make the class's copy match your drawings; False if not sharing (or it failed)."""
        if not self.share_box.value:
            return False
        try:
            self.class_store.share(self.student, self.store)
            return True
        except OSError as err:
            self._say(f"Could not share with the class in {self.class_store.root}: {err}", error=True)
            return False

    def _share_box(self):
        """The "Share my drawings with the class" box, shown only to a student with a usable name."""
        try:
            named = check_student(self.student) is not None
        except ValueError:
            named = False
        box = ipw.Checkbox(value=named and self.class_store.is_sharing(self.student),
                           description="Share my drawings with the class", indent=False,
                           layout=ipw.Layout(width="auto", display=None if named else "none"))
        box.add_class("dl-collector-share")
        return box

    # ---- display -----------------------------------------------------------------------------

    def refresh(self) -> dict:
        """Read the store again; update the counts and the gallery. Returns the counts."""
        items = self.store.readable_items()
        counts = self._counts = count_digits(items)
        self.counts.value = counts_html(counts)
        shown = items[::-1][:GALLERY_SIZE]  # newest first
        boxes = []
        for id_, label, path in shown:
            if id_ not in self._items:
                try:
                    self._items[id_] = self._gallery_item(id_, label, thumbnail(path))
                except (OSError, ValueError):
                    continue  # a file that cannot be read is left alone (the store warns on load)
            boxes.append(self._items[id_])
        for id_ in set(self._items) - {id_ for id_, _, _ in shown}:
            self._items.pop(id_).close()  # gone or no longer shown: free its widgets
        self.gallery.children = boxes
        more = f", the latest {len(shown)} shown" if len(items) > len(shown) else ""
        self.gallery_title.value = (f'<b class="dl-collector-gallery-title" data-count="{len(items)}">'
                                    f'Your drawings ({len(items)}{more})</b>'
                                    + (f'<span style="color:{QUIET}"> none yet</span>' if not items else ""))
        self.restore_button.layout.display = None if self._deleted is not None else "none"
        return counts

    def _gallery_item(self, id_, label, png):
        picture = ipw.Image(value=png, format="png", width=56, height=56, layout=ipw.Layout(border=BORDER))
        name = ipw.HTML(f'<div style="text-align:center;font-weight:600">{label}</div>')
        delete = button("Delete", "dl-collector-delete", "trash", tooltip=f"delete this {label}")
        delete.layout.padding = "0 0.5em"
        delete.on_click(lambda _: self.delete(id_))
        item = ipw.VBox([picture, name, delete], layout=ipw.Layout(align_items="center", margin="0 6px 8px 0"))
        item.add_class("dl-collector-item")
        item.add_class(f"dl-id-{id_}")
        return item

    def _show_preview(self):
        """Convert the drawing on the pad into the picture to save (self.image), and show it."""
        self._drawn = [list(map(list, s)) for s in self.canvas.strokes]
        try:
            self.image = canvas_to_mnist(strokes_to_pixels(self._drawn, self.canvas.size, self.canvas.brush))
        except EmptyDrawingError:
            self.image = None
        shown = self.image if self.image is not None else np.zeros((28, 28))
        self.preview.value = png_bytes(to_rgb(shown), scale=3)

    def _say(self, text, error=False, colour=None):
        colour = colour or (BAD if error else GOOD)
        self.status.value = (f'<div class="dl-collector-message" data-saved="{self.saved}" '
                             f'style="color:{colour};line-height:1.4;min-height:2.8em;overflow-wrap:anywhere">'
                             f'{html.escape(text)}</div>')

