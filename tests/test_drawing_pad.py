"""The drawing pad's Python half: strokes to pixels, the reading, undo, clear and the pipeline."""

import numpy as np
import pytest

from digitlab import MLP
from digitlab.drawing.canvas import canvas_to_mnist
from digitlab.drawing.strokes import rasterize_strokes
from digitlab.widgets import DrawingPad, PipelineView
from digitlab.drawing.reading import read_drawing, strokes_to_pixels
from digitlab.drawing.strokes import PAD_SIZE
from digitlab.plumbing.text import percent
from digitlab.widgets.drawing_pad import EMPTY_TEXT, guess_html
from digitlab.widgets.pictures import INK, PAPER, bars_html, to_rgb

ONE = [[(140, 40), (140, 240)]]  # a vertical line in pad pixels
SEVEN = [[(70, 60), (210, 60)], [(210, 60), (120, 240)]]  # bar, then leg


@pytest.fixture
def model():
    return MLP(seed=0)  # untrained: enough for everything but the guess itself


def test_strokes_to_pixels_puts_ink_under_the_stroke_only():
    pixels = strokes_to_pixels(ONE)  # (280, 280)
    assert pixels.shape == (PAD_SIZE, PAD_SIZE) and pixels.dtype == np.uint8
    assert pixels[140, 140] == 255  # on the line
    assert pixels[140, 100] == 0  # 40 px to its left
    assert pixels[10, 140] == 0  # above its round cap


def test_read_drawing_of_an_empty_pad_is_none(model):
    assert read_drawing(model, []) is None


def test_read_drawing_gives_the_models_probabilities_for_the_mnist_image(model):
    reading = read_drawing(model, SEVEN)
    expected_image = canvas_to_mnist(rasterize_strokes(SEVEN, shape=(280, 280), width=20))
    np.testing.assert_array_equal(reading.image, expected_image)
    np.testing.assert_allclose(reading.probabilities, model.predict_proba(expected_image)[0])
    assert reading.guess == int(reading.probabilities.argmax())
    assert reading.confidence == pytest.approx(reading.probabilities.max())


def test_new_pad_asks_for_a_digit(model):
    pad = DrawingPad(model)
    assert pad.reading is None
    assert EMPTY_TEXT in pad.guess.value
    assert pad.strokes == []


def test_every_stroke_updates_the_reading(model):
    pad = DrawingPad(model)
    first = pad.updates
    pad.strokes = SEVEN[:1]
    assert pad.reading is not None and pad.updates == first + 1
    pad.strokes = SEVEN
    assert pad.updates == first + 2
    assert f'data-update="{pad.updates}"' in pad.guess.value
    assert f'data-label="{pad.reading.guess}"' in pad.guess.value


def test_undo_removes_only_the_last_stroke(model):
    pad = DrawingPad(model)
    pad.strokes = SEVEN
    pad.undo()
    assert pad.strokes == [[[70.0, 60.0], [210.0, 60.0]]]
    np.testing.assert_allclose(pad.reading.probabilities,
                               read_drawing(model, SEVEN[:1]).probabilities)


def test_undo_on_an_empty_pad_leaves_it_empty(model):
    pad = DrawingPad(model)
    pad.undo()
    assert pad.strokes == [] and pad.reading is None


def test_clear_removes_every_stroke_and_asks_for_a_digit_again(model):
    pad = DrawingPad(model)
    pad.strokes = SEVEN
    pad.clear()
    assert pad.strokes == [] and pad.reading is None
    assert EMPTY_TEXT in pad.guess.value


def test_pad_that_is_not_live_reads_only_when_asked(model):
    pad = DrawingPad(model, live=False)
    pad.strokes = ONE
    assert pad.reading is None
    assert pad.predict() is not None and pad.reading is not None


def test_malformed_strokes_raise_a_plain_value_error(model):
    pad = DrawingPad(model)
    with pytest.raises(ValueError, match="list of \\(x, y\\) points"):
        pad.strokes = [[(1, 2, 3)]]
    with pytest.raises(ValueError, match="finite"):
        pad.strokes = [[(1, float("nan"))]]


def test_shipped_model_reads_a_vertical_stroke_as_one():
    pad = DrawingPad()  # the default: digitlab.load_pretrained()
    pad.strokes = ONE
    assert pad.reading.guess == 1


def test_pipeline_asks_for_a_digit_then_shows_eight_stages(model):
    pad = DrawingPad(model)
    view = PipelineView(pad)
    assert view.stages.layout.display == "none" and EMPTY_TEXT in view.message.value
    pad.strokes = SEVEN
    assert view.message.layout.display == "none"
    assert len(view.stages.children) == 8  # pixels, ink, stray marks, box, 20x20, 28x28, two hidden layers
    assert all(bytes(im.value).startswith(b"\x89PNG") for im in view.images)
    assert "128 neurons" in view.notes[6].value and "64 neurons" in view.notes[7].value
    pad.clear()
    assert view.stages.layout.display == "none"


def test_percent_never_rounds_a_near_certainty_up_to_certainty():
    assert percent(0.9996) == ">99%"
    assert percent(0.0004) == "<1%"
    assert percent(0.0) == "0%"
    assert percent(0.42) == "42%"


def test_bars_show_one_bar_per_digit_with_the_top_one_highlighted():
    p = np.full(10, 0.05)
    p[3] = 0.55
    html = bars_html(p)
    assert html.count('class="dl-bar"') == 10
    assert "width:55.0%" in html and "55%" in html
    assert bars_html(None).count("width:0.0%") == 10


def test_guess_shows_the_prompt_for_no_reading():
    assert EMPTY_TEXT in guess_html(None, update=1)


def test_colours_map_no_ink_to_paper_and_full_ink_to_ink():
    rgb = to_rgb(np.array([[0.0, 1.0]]))
    assert tuple(rgb[0, 0]) == PAPER and tuple(rgb[0, 1]) == INK


@pytest.mark.parametrize("hidden, last_stage", [((128, 64), 8), ((32,), 7)])
def test_the_probabilities_come_right_after_the_last_stage_shown(hidden, last_stage):
    pad = DrawingPad(MLP(sizes=(784, *hidden, 10), seed=0))
    view = PipelineView(pad)
    pad.strokes = SEVEN
    assert len(view.stages.children) == last_stage
    assert f"<b>{last_stage + 1}. Probabilities</b>" in view.result.value
