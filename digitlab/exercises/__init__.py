"""The exercises' checks: the learner writes a function, a check runs it on random inputs and says if it is right.

Every notebook has exercises: a code cell with a function to complete, ending with a check from
here, then a hidden solution cell ending with the same check. A check compares the learner's
answers with DigitLab's own on small random inputs and prints one verdict in plain words
("✔ Right: ..." or "✘ Not yet: ...", with the example that went wrong and a hint); it never
raises. ``check_x.grade(...)`` returns the Verdict instead of printing it.

    neurons         01-02   perceptron output and update, sigmoid and slope, descent loop, chain rule
    pixels          03      flattening, average images, the nearest average
    layers          04-05   matmul, softmax, cross-entropy, one layer's slopes, the training loop,
                            ReLU and slope, a hidden layer's forward pass, one layer backwards
    full_network    06      parameters per layer, Adam's step, the confusion matrix
    canvas_steps    07      cropping to the ink, the centre of mass, "I'm not sure"
    shifted_data    08      stroke width, mixing your drawings in, accuracy per group
    grading         the machinery: running the learner's code safely, comparing, the verdict
"""

from .canvas_steps import check_centre_of_mass, check_crop, check_not_sure
from .full_network import check_adam_step, check_confusion_matrix, check_parameter_count
from .grading import NOT_YET, RIGHT, Verdict
from .layers import (check_cross_entropy, check_layer_backward, check_layer_gradient, check_matmul, check_relu,
                     check_softmax, check_training_loop, check_two_layer_forward)
from .neurons import check_chain_rule, check_descent, check_perceptron_output, check_perceptron_update, check_sigmoid
from .pixels import check_flatten, check_mean_images, check_nearest_mean
from .shifted_data import check_accuracy_by, check_mix, check_stroke_width

CHECKS = [check_perceptron_output, check_perceptron_update, check_sigmoid, check_descent, check_chain_rule,
          check_flatten, check_mean_images, check_nearest_mean,
          check_matmul, check_softmax, check_cross_entropy, check_layer_gradient, check_training_loop,
          check_relu, check_two_layer_forward, check_layer_backward,
          check_parameter_count, check_adam_step, check_confusion_matrix,
          check_crop, check_centre_of_mass, check_not_sure,
          check_stroke_width, check_mix, check_accuracy_by]

__all__ = [c.__name__ for c in CHECKS] + ["CHECKS", "Verdict", "RIGHT", "NOT_YET"]
