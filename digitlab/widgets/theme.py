"""The widgets' colours and sizes: JupyterLab's theme variables, so Light, Dark and high contrast all work.

Every colour a widget writes into its HTML or layout is one of these CSS values, never a fixed
hex code: JupyterLab sets the variables for its theme, and the contrast of each pair was checked
with axe-core in Light and Dark (tests/browser/test_themes_and_widths.py). Sizes are in em, so
that widget text follows JupyterLab's font size and the browser's zoom.
Not for: figures (their background is set once, in digitlab.plots.figure) or the pad's MNIST
colours (digitlab.widgets.pictures).
"""

TEXT = "var(--jp-ui-font-color1)"     # ordinary text
QUIET = "var(--jp-ui-font-color2)"    # captions, notes, percentages: 4.6:1 on Light, 6:1 on Dark
GOOD = "var(--jp-success-color0)"     # saved, finished, converged
BAD = "var(--jp-error-color1)"        # errors, diverging, blown up
ACCENT = "var(--jp-warn-color0)"      # large text only (3.8:1 on Light): the guess, the digit asked for
FILL = "var(--jp-brand-color1)"       # bars that count something
PLAIN_BAR = "var(--jp-layout-color4)"  # bars of the digits that are not the top guess
TRACK = "var(--jp-border-color2)"     # the outline of an empty bar: clearly empty in every theme
EDGE = "var(--jp-layout-color4)"      # borders of the pad and of every small image: 4:1 or more on the page
HIGHLIGHT = "var(--jp-layout-color2)"  # background of a highlighted table row; TEXT stays readable on it

BORDER = f"2px solid {EDGE}"          # the pad's and the small images' border
