"""DigitLab: learn how a neural network reads a handwritten digit.

The library under the notebooks: plain numpy you can open and read. Start with these files,
in this order; each says at the top what it is for and what it is not:

    network.py      the 784-128-64-10 network: ReLU, softmax, cross-entropy, forward, backpropagation
    optim.py        the rules that move the weights: SGD and Adam
    training.py     fit: the training loop (shuffle, mini-batches, forward, backward, step)
    data.py         MNIST: fetching the four original files, checking them, reading them
    pretrained.py   the shipped model, and the one command that makes it again
    augment.py      small random shifts and warps of training images
    finetune.py     teaching a trained network your own handwriting
    shift.py        measuring how other digits differ from MNIST (distribution shift)

and the folders, by role:

    lessons/        the small models of the first notebooks: the beach perceptron, gradient descent,
                    digit readers without a network, clustering
    drawing/        from strokes on a pad to MNIST's 28×28 format, digits drawn in many handwriting
                    styles, the store of your drawings, a class's shared drawings
    classwork/      a class's own digits: a class model, measured on students it never saw
    plots/          every matplotlib figure (imported on its own: ``from digitlab import plots``)
    exercises/      the checks of the notebooks' exercises: your code against DigitLab's, in plain words
    widgets/        the interactive parts; nothing outside this folder imports them
    plumbing/       input checks, number formatting, atomic files, model-file checks, threads: out of the way
"""

from .data import FetchError, fetch_mnist, load_mnist
from .drawing.canvas import EmptyDrawingError, canvas_to_mnist
from .drawing.store import DrawingStore
from .network import DEFAULT_SIZES, MLP
from .pretrained import load_pretrained
from .training import History, TrainingDiverged, TrainingEvent, evaluate, fit

__all__ = ["MLP", "DEFAULT_SIZES", "fit", "evaluate", "History", "TrainingEvent", "TrainingDiverged",
           "fetch_mnist", "load_mnist", "FetchError", "load_pretrained",
           "DrawingStore", "canvas_to_mnist", "EmptyDrawingError"]
__version__ = "0.1.0"
