"""The small models of the first lessons, before the network of digits.

- ``perceptron``: the beach perceptron of notebook 01 (a weighted sum, a threshold, the learning rule);
- ``sigmoid_neuron``: the same neuron with a smooth output, trained by gradient descent (notebook 02);
- ``gradient_descent``: loss curves and bowls, and a stepper that explains each step (notebook 02);
- ``baselines``: digit readers without a network, nearest mean and nearest neighbour (notebook 03);
- ``clustering``: k-means, grouping digits without their labels (notebook 03).
"""
