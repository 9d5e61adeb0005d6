"""DigitLab: learn how a neural network reads a handwritten digit.

The library under the notebooks. Everything here is plain numpy you can read; the widgets in
``digitlab.widgets`` build on it and are imported separately, as are the matplotlib helpers in
``digitlab.plots`` (``from digitlab import plots``), so that importing digitlab stays quick.
"""

from .canvas import EmptyDrawingError, canvas_to_mnist
from .collection import DrawingStore
from .data import FetchError, fetch_mnist, load_mnist
from .network import DEFAULT_SIZES, MLP
from .pretrained import load_pretrained
from .training import History, TrainingDiverged, TrainingEvent, evaluate, fit

__all__ = ["MLP", "DEFAULT_SIZES", "fit", "evaluate", "History", "TrainingEvent", "TrainingDiverged",
           "fetch_mnist", "load_mnist", "FetchError", "load_pretrained",
           "DrawingStore", "canvas_to_mnist", "EmptyDrawingError"]
__version__ = "0.1.0"
