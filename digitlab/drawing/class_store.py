"""A class's shared drawings: one folder per student, for the teacher's notebook (class_digits).

Where: the folder named by the DIGITLAB_CLASS environment variable (on a class server the hub
sets it to the folder every student can write to), else <data>/class.

Format: <class>/<student>/<digit>/<id>.png (and .json strokes): each student's folder is a
DrawingStore of its own. A student who shares keeps their drawings in their private store, as
always, and a copy goes here under the same ids: ``share`` makes the student's folder match the
private store (new drawings copied, deleted or relabelled ones taken back), ``withdraw`` takes
all of them back. Safe under many writers: each student writes only into their own folder, and
every file is written atomically (a temporary file, then a rename), so a teacher reading the
class while thirty students save sees each drawing whole or not at all.

Not for: one person's drawings (digitlab.drawing.store) or making up students
(digitlab.drawing.handwriting).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from ..data import data_root
from ..plumbing.files import write_atomically
from .store import DrawingStore

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # a student's folder name: no paths, no hidden files


def default_class_root() -> Path:
    """The class folder: $DIGITLAB_CLASS, else <data>/class."""
    return Path(os.environ.get("DIGITLAB_CLASS") or data_root() / "class")


def check_student(name) -> str:
    """A student's name as a folder name, or ValueError in plain words."""
    if not isinstance(name, str) or not NAME.fullmatch(name):
        raise ValueError(f"a student's name must be 1 to 64 letters, digits, '.', '_' or '-', "
                         f"starting with a letter or digit; got {name!r}")
    return name


class ClassStore:
    """The drawings a class shared, one DrawingStore per student."""

    def __init__(self, root=None):
        self.root = Path(root) if root is not None else default_class_root()
        self.stores = {}  # student name -> their DrawingStore, opened (and so tidied) once

    def student(self, name) -> DrawingStore:
        """The store of one student's shared drawings."""
        name = check_student(name)
        if name not in self.stores:
            self.stores[name] = DrawingStore(self.root / name)
        return self.stores[name]

    def students(self) -> list[str]:
        """The names of the students whose folder holds at least one drawing file, sorted.

        Only the file names are looked at: whether a drawing can be read is found out by load.
        """
        if not self.root.is_dir():
            return []
        return sorted(p.name for p in self.root.iterdir()
                      if p.is_dir() and NAME.fullmatch(p.name) and self.student(p.name).items())

    def share(self, name, private: DrawingStore) -> int:
        """Make a student's shared folder match their private store; return how many drawings it holds."""
        shared = self.student(name)
        shared.root.mkdir(parents=True, exist_ok=True)  # sharing, even before the first drawing
        mine = {(id_, label): path for id_, label, path in private.items()}
        there = {(id_, label) for id_, label, _ in shared.items()}
        for id_, label in there - set(mine):
            shared.delete(id_)
        for (id_, label), path in mine.items():
            if (id_, label) not in there:
                self._copy(path, shared.root / str(label))
        return len(mine)

    def withdraw(self, name) -> int:
        """Take back every drawing a student shared, and their folder; return how many drawings."""
        shared = self.student(name)
        items = shared.items()
        for id_, _, _ in items:
            shared.delete(id_)
        for folder in sorted(shared.root.glob("*"), reverse=True) + [shared.root]:
            if folder.is_dir():
                try:
                    folder.rmdir()  # only empty folders: a file someone else put there stays
                except OSError:
                    pass
        return len(items)

    def is_sharing(self, name) -> bool:
        """True if the student shares their drawings (their folder is there, even if still empty)."""
        return self.student(name).root.is_dir()

    def load(self, students=None):
        """(X uint8 (N, 28, 28), y (N,), writers (N,) names): every shared drawing and who drew it.

        Pixels are 0..255, as the PNG files hold them: a quarter of the memory of floats.
        """
        names = self.students() if students is None else [check_student(s) for s in students]
        parts = [(*self.student(name).load_pixels(), name) for name in names]
        X = np.concatenate([X for X, _, _ in parts]) if parts else np.zeros((0, 28, 28), np.uint8)
        y = np.concatenate([y for _, y, _ in parts]) if parts else np.zeros(0, np.int64)
        writers = np.array([name for _, y_, name in parts for _ in range(len(y_))], dtype=str)
        return X, y, writers

    def add(self, name, image28, label, strokes=None) -> str:
        """Save one drawing straight into a student's shared folder; return its id."""
        return self.student(name).add(image28, label, strokes)

    def __len__(self):
        return sum(len(self.student(name)) for name in self.students())

    def __repr__(self):
        return f"ClassStore({str(self.root)!r}, {len(self.students())} students, {len(self)} drawings)"

    @staticmethod
    def _copy(png: Path, folder: Path) -> None:
        """Copy one drawing (its PNG, and its strokes if any) into folder, each file atomically."""
        folder.mkdir(parents=True, exist_ok=True)
        strokes = png.with_suffix(".json")
        if strokes.exists():
            data = strokes.read_bytes()
            write_atomically(folder / strokes.name, lambda f: f.write(data))
        data = png.read_bytes()
        write_atomically(folder / png.name, lambda f: f.write(data))  # last: a drawing exists once its PNG does
