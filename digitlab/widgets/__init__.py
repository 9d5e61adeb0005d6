"""Interactive widgets for the DigitLab notebooks; they build on the core and hold no logic of their own."""

from .collector import Collector
from .dashboard import TrainingDashboard
from .descent import DescentExplorer, one_weight_explorer, two_weight_explorer
from .drawing_pad import DrawingPad, PipelineView
from .perceptron import PerceptronExplorer, PerceptronLearner

__all__ = ["PerceptronExplorer", "PerceptronLearner", "DescentExplorer", "one_weight_explorer",
           "two_weight_explorer", "TrainingDashboard", "DrawingPad", "PipelineView", "Collector"]
