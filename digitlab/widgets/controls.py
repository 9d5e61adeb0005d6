"""Controls the widgets share, each made with the CSS class that tests (and themes) find it by."""

from __future__ import annotations

import ipywidgets as ipw


def button(description, css, icon="", style="", tooltip=""):
    """A button sized to its label; style is an ipywidgets button_style ("primary", "success", ...)."""
    b = ipw.Button(description=description, icon=icon, tooltip=tooltip, button_style=style,
                   layout=ipw.Layout(width="auto"))
    b.add_class(css)
    return b


def html_text(css, value=""):
    """An HTML text widget."""
    h = ipw.HTML(value)
    h.add_class(css)
    return h


def image(css, **options):
    """A PNG image widget; options are ipywidgets.Image's (width, height, layout, ...)."""
    im = ipw.Image(format="png", **options)
    im.add_class(css)
    return im
