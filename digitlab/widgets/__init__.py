"""Interactive widgets for the DigitLab notebooks; they build on the core and hold no logic of their own."""

from .collector import Collector
from .dashboard import TrainingDashboard
from .drawing_pad import DrawingPad, PipelineView

__all__ = ["Collector", "DrawingPad", "PipelineView", "TrainingDashboard"]
