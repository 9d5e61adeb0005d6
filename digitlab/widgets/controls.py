"""Controls and boxes the widgets share, each made with the CSS class that tests find it by.

Boxes lay their children out side by side while there is room and wrap them below each other
when there is not (flex-wrap), so that a widget fits a narrow window or a projector's 1024 px:
nothing is squeezed (a squeezed pad cannot be drawn on, a squeezed button shows "S…").
"""

from __future__ import annotations

import html

import ipywidgets as ipw

from .theme import BORDER, QUIET


def button(description, css, icon="", style="", tooltip=""):
    """A button sized to its label, never squeezed; style is an ipywidgets button_style ("primary", ...)."""
    b = ipw.Button(description=description, icon=icon, tooltip=tooltip, button_style=style,
                   layout=ipw.Layout(width="auto", flex="0 0 auto"))
    b.add_class(css)
    return b


def html_text(css, value=""):
    """An HTML text widget."""
    h = ipw.HTML(value)
    h.add_class(css)
    return h


def lines(body) -> str:
    """HTML that may wrap, in lines of ordinary height (an HTML widget's own are a control's 28 px)."""
    return f'<div style="line-height:1.4">{body}</div>'


def caption(text):
    """A quiet caption over a picture or a count; it wraps in lines of ordinary height."""
    return ipw.HTML(f'<div style="color:{QUIET};line-height:1.3;margin:0.3em 0">{html.escape(text)}</div>')


def image(css, width, height, **layout):
    """A small PNG image widget with a border that shows on every theme; layout options as ipywidgets'."""
    im = ipw.Image(format="png", width=width, height=height,
                   layout=ipw.Layout(border=BORDER, flex="0 0 auto", **layout))
    im.add_class(css)
    return im


def figure_image(css):
    """An image widget for a redrawn figure: at most its own size, shrunk to fit a narrow window."""
    im = ipw.Image(format="png", layout=ipw.Layout(max_width="100%", height="auto"))
    im.add_class(css)
    return im


def wrapping(**layout) -> ipw.Layout:
    """The layout of a row whose children wrap below each other when there is no room."""
    return ipw.Layout(**{"flex_flow": "row wrap", "align_items": "flex-start", **layout})


def row(children, **layout) -> ipw.HBox:
    """Children side by side, wrapping when there is no room; each keeps its own size."""
    for child in children:
        child.layout.flex = "0 0 auto"
    return ipw.HBox(children, layout=wrapping(**layout))


def column(children, width=None, **layout) -> ipw.VBox:
    """Children one below the other, never squeezed (nor wider than the window), with a gap beside and below."""
    return ipw.VBox(children, layout=ipw.Layout(flex="0 0 auto", width=width, max_width="100%",
                                                margin="0 18px 8px 0", **layout))
