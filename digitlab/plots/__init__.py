"""Every matplotlib figure of the series, in one place: ``from digitlab import plots``.

- ``digits``: digits in a grid, counts, mean images, pixel values, probabilities, confusion
  matrices, first-layer weights, confident mistakes, one digit per handwriting style (notebooks 03 onwards);
- ``straight_cuts``: the beach days and the perceptron's cut, XOR's four points (notebook 01);
- ``loss_landscape``: the step staircase, the sigmoid, loss curves and bowls, Adam beside plain
  gradient descent (notebook 02);
- ``function_curves``: ReLU and its slope, the loss −log p (notebooks 04-05);
- ``network_diagram``: a layered network with each layer's parameter count (notebooks 05-06);
- ``live_curves``: the training dashboard's loss and accuracy curves, redrawn in place;
- ``training_curves``: a finished run's loss and accuracy per epoch, training and validation (notebook 06);
- ``refusals``: the share refused against the accuracy on the rest, when unsure (notebook 07);
- ``comparison``: accuracy before and after fine-tuning, per handwriting style, week by week (notebook 08);
- ``by_student``: a class's drawings, one row per student (the teacher's class_digits notebook);
- ``figure``: a figure pyplot lets go of, and a figure's PNG bytes for image widgets.

Every plot_* function returns a Figure: end a cell with it and it shows once.
"""

from .by_student import plot_drawings_by_student
from .comparison import plot_by_group, plot_by_style, plot_comparison
from .digits import (confusion_matrix, mean_images, plot_class_counts, plot_confident_mistakes,
                     plot_confusion_matrix, plot_digits, plot_first_layer_weights, plot_mean_digits,
                     plot_pixel_values, plot_probabilities, plot_styles)
from .figure import figure_png, new_figure
from .function_curves import plot_minus_log, plot_relu
from .loss_landscape import (plot_descent, plot_descent_race, plot_sigmoid, plot_slope, plot_step_vs_smooth,
                             plot_training)
from .network_diagram import plot_network_diagram
from .refusals import plot_refusal_tradeoff
from .straight_cuts import plot_perceptron_cut, plot_xor
from .training_curves import plot_history

__all__ = ["plot_digits", "plot_class_counts", "mean_images", "plot_mean_digits", "plot_pixel_values",
           "plot_probabilities", "confusion_matrix", "plot_confusion_matrix", "plot_first_layer_weights",
           "plot_confident_mistakes", "plot_descent", "plot_descent_race", "plot_sigmoid", "plot_slope",
           "plot_step_vs_smooth", "plot_training", "plot_perceptron_cut", "plot_xor", "plot_comparison",
           "plot_by_group", "plot_relu", "plot_minus_log", "plot_network_diagram", "plot_history",
           "plot_refusal_tradeoff", "plot_by_style", "plot_styles", "new_figure", "figure_png", "plot_drawings_by_student"]
