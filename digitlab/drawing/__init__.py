"""From a drawing on the pad to the 28×28 image the network reads, and the drawings you keep.

- ``strokes``: pen strokes to pixels with the pad's round brush;
- ``canvas``: any drawing to MNIST's format (crop, scale to 20×20, centre by mass), every stage kept;
- ``reading``: what the network makes of a drawing, strokes to pixels to 28×28 to probabilities;
- ``tidy``: stray marks away from the digit dropped, strokes too thick or thin for MNIST evened out;
- ``skeleton``: the centre line of a handwritten digit (thinning);
- ``canvas_style``: MNIST digits redrawn as a mouse would draw them on the pad;
- ``styles``: digits in handwriting styles MNIST lacks (a crossed 7, a 9 with a curled tail, ...),
  drawn on the pad from templates: training data, a test set scored style by style, and a
  stand-in writer with European habits (a 1 with a long flag, a crossed 7);
- ``store``: your own labelled drawings, kept as small PNG files;
- ``class_store``: the drawings a class shared, one folder per student;
- ``handwriting``: made-up students, each drawing canvas-style digits in a style of their own.
"""
