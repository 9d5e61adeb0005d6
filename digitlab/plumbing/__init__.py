"""Plumbing: what the library needs that is not part of the lessons.

- ``checks``: the one check of images, labels, drawings and strokes, with plain messages;
- ``text``: how numbers are printed (minus signs, percentages that never claim certainty);
- ``files``: writing a file so that it is whole or not there at all, and tidying after a crash;
- ``model_file``: reading a saved model without trusting it, entry by entry;
- ``threads``: how many CPU cores the matrix products use while training, chosen by measuring;
- ``memory``: freed arrays kept by the process for reuse, which makes a training step faster;
- ``parallel``: independent chunks of work (drawing training digits) shared among the cores;
- ``progress``: progress bars;
- ``table``: a small table of results for notebooks;
- ``live_training``: a training run that a display can watch and stop (the dashboard's logic).

A learner can skip this folder: nothing here is part of how a network learns.
"""
