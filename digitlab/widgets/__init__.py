"""The interactive parts of the series, built with ipywidgets and anywidget on the library below.

Each widget shows what a module elsewhere computes, and wires buttons and sliders to it; the
logic a learner might want to test lives in that module, not here:

    PerceptronExplorer, PerceptronLearner   notebook 01   digitlab.lessons.perceptron
    DescentExplorer                         notebook 02   digitlab.lessons.gradient_descent
    TrainingDashboard                       notebook 06   digitlab.plumbing.live_training
    DrawingPad, PipelineView                notebook 07   digitlab.drawing.reading
    ReaderApp                               the demo web app (make demo)
    Collector                               notebook 08   digitlab.drawing.store

Nothing outside this folder imports it, so the library works without a browser.
"""

from .collector import Collector
from .descent_explorer import DescentExplorer, one_weight_explorer, two_weight_explorer
from .drawing_pad import DrawingPad
from .perceptron_explorer import PerceptronExplorer
from .perceptron_learner import PerceptronLearner
from .pipeline_view import PipelineView
from .reader_app import ReaderApp
from .training_dashboard import TrainingDashboard

__all__ = ["PerceptronExplorer", "PerceptronLearner", "DescentExplorer", "one_weight_explorer",
           "two_weight_explorer", "TrainingDashboard", "DrawingPad", "PipelineView", "Collector",
           "ReaderApp"]
