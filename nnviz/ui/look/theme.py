"""The look of the whole window as one value: light or dark theme, the weight palette, one size
factor for the projector, and a high-contrast switch.

``Appearance`` is that value (immutable; ``dataclasses.replace`` makes a changed copy) and
``Appearance.colours()`` turns it into every colour, width and font size the views draw with.
``apply_theme`` sets the application's Fusion style, QPalette and pyqtgraph defaults;
``apply_appearance`` does that and hands the appearance to every widget of a window that has a
``set_appearance`` method (the graph, the plots, the prediction bars, the weight painter).

The light theme at scale 1 without high contrast is exactly the look the graph always had.
The drawing canvas stays white paper with black ink in both themes: it mimics MNIST.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import style

#: The themes, in menu order. ``system_theme()`` says which one the desktop uses.
THEMES = ("light", "dark")

#: Weight-sign palettes: name → (negative, positive) as RGB 0..255; the neutral grey near zero
#: comes from the theme, so it shows on its background.
#:
#: "orange-blue" is TensorFlow Playground's #f59322 / #0877bd, what learners know.
#:
#: "vermillion-blue" is Okabe & Ito's vermillion #D55E00 and sky blue #56B4E9, from the set
#: designed to stay distinct under protanopia, deuteranopia and tritanopia (simulated with
#: Machado et al. 2009 at full severity they become olive vs light blue, and red vs cyan). Sky
#: blue rather than Okabe–Ito's darker "blue" #0072B2: vermillion and #0072B2 have nearly the
#: same luminance (0.22 vs 0.15, contrast 1.3), so they merge into one grey on a greyscale
#: projector; vermillion (0.22) and sky blue (0.41, contrast 1.7) do not. Sky blue also reads
#: on the dark theme's background (contrast 7.4) where #0072B2 is dim (3.3); vermillion has
#: 3.9 against white and 4.4 against the dark background. Unlike orange-blue, here negative is
#: the darker of the two: the legend shows it, and dashes mark negative edges either way.
PALETTES = {name: pair for name, pair in style.PAIRS.items()}

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]


@dataclass(frozen=True)
class Colours:
    """Everything the views draw with for one appearance: RGB / RGBA tuples (0..255), widths
    in device pixels unless said otherwise, font sizes in pixels. Build it with
    ``Appearance.colours()``."""

    dark: bool
    scale: float
    high_contrast: bool
    diverging: style.Diverging  # weight sign: negative, positive, and the neutral near zero
    background: RGB  # the graph's
    outline: RGB  # a computed neuron's outline
    outline_width: float
    pending: RGB  # the dashed outline of a neuron not computed yet
    pending_fill: RGB
    fill_ramp: tuple[int, int]  # grey of activation 0 and of a full activation
    bias_fill: RGB  # the "+1" nodes
    text: RGB  # numbers on the graph
    text_on_strong: RGB  # numbers on a strongly filled neuron
    label_background: RGBA
    selection: RGB
    selection_width: float
    selection_halo: RGBA | None  # a band of background colour under the selection
    band_fill: RGBA  # the layer band of the current stepping stage
    band_edge: RGB
    band_text: RGB
    legend_background: RGBA
    legend_border: RGB
    legend_text: RGB
    image_border: RGB  # an input layer drawn as an image
    image_empty: tuple[int, int]  # its greys before there is an input (fill, grid dots)
    edge_width: tuple[float, float]  # (weakest, strongest) width of small layers' edges (scene)
    edge_min_alpha: int  # opacity of the weakest edge bin of small layers (≤ 150 edges)
    edge_px: int  # the thinnest edge on screen, pixels, in layers that are not dense
    dash: tuple[float, float]  # negative edges: (dash, gap) in pixels at scale 1
    font_label: float = 13.0
    font_bias: float = 16.0
    font_band: float = 15.0
    font_legend: float = 12.0
    plot_background: RGB = (255, 255, 255)
    plot_foreground: RGB = (150, 150, 150)
    curves: dict = field(default_factory=dict)  # plot series → RGB
    frame: RGB = (150, 150, 150)  # axes and frames of small panels
    muted: RGB = (170, 170, 170)  # bars that are not the answer, hints

    def weight_tint(self, t, strength: float = 0.4) -> RGB:
        """A faint background for a weight t in [−1, 1] (e.g. a table cell): its sign colour
        at ``strength`` opacity over this theme's background, so the theme's text stays
        readable on it."""
        return style.fade(style.diverging_rgb(t, self.diverging).tolist(), strength,
                          self.background)

    def edge_cosmetic_px(self, base: float) -> float:
        """A cosmetic edge pen's width for a ``base`` of 1 or 2 px at scale 1: whole pixels
        (fractional widths cost antialiasing), at least ``edge_px``."""
        return float(max(self.edge_px, round(base * self.scale)))


@dataclass(frozen=True)
class Appearance:
    """theme ("light" / "dark"), palette (a key of PALETTES), scale (1.0 normal, up to 3 for a
    projector: neuron sizes, line widths, fonts), high_contrast (stronger outlines and edges,
    no faint lines)."""

    theme: str = "light"
    palette: str = "orange-blue"
    scale: float = 1.0
    high_contrast: bool = False

    def __post_init__(self) -> None:
        if self.theme not in THEMES:
            raise ValueError(f"theme must be one of {THEMES}, got {self.theme!r}")
        if self.palette not in PALETTES:
            raise ValueError(f"palette must be one of {tuple(PALETTES)}, got {self.palette!r}")
        if not 0.5 <= float(self.scale) <= 4.0:
            raise ValueError(f"scale must be within 0.5 .. 4, got {self.scale!r}")
        object.__setattr__(self, "scale", float(self.scale))
        object.__setattr__(self, "high_contrast", bool(self.high_contrast))

    @property
    def dark(self) -> bool:
        return self.theme == "dark"

    def colours(self) -> Colours:
        s, hc = self.scale, self.high_contrast
        neg, pos = PALETTES[self.palette]
        halo = None
        if self.dark:
            bg = (28, 28, 30)
            c = dict(
                background=bg, outline=(255, 255, 255) if hc else (200, 200, 200),
                pending=(150, 150, 150) if hc else (120, 120, 120), pending_fill=(40, 40, 44),
                fill_ramp=(bg[0], 240), bias_fill=(44, 44, 48),
                text=(255, 255, 255) if hc else (235, 235, 235), text_on_strong=(10, 10, 10),
                label_background=(*bg, 235 if hc else 215),
                selection=(255, 80, 170), band_fill=(255, 205, 70, 48),
                band_edge=(235, 190, 60), band_text=(255, 214, 102),
                legend_background=(40, 40, 44, 235), legend_border=(100, 100, 100),
                legend_text=(255, 255, 255) if hc else (230, 230, 230),
                image_border=(150, 150, 150), image_empty=(36, 46),
                neutral=(130, 130, 130) if hc else (88, 88, 88),
                plot_background=(30, 30, 32),
                plot_foreground=(225, 225, 225) if hc else (185, 185, 185),
                curves={"batch": (130, 130, 130), "train": (235, 235, 235),
                        "test": (239, 128, 50), "validation": (86, 180, 233),
                        "diverged": (255, 105, 110), "sweep": (86, 180, 233)},
                frame=(130, 130, 130), muted=(105, 105, 108))
        else:
            bg = (255, 255, 255)
            c = dict(
                background=bg, outline=(0, 0, 0) if hc else (60, 60, 60),
                pending=(90, 90, 90) if hc else (150, 150, 150), pending_fill=(246, 246, 246),
                fill_ramp=(255, 40), bias_fill=(255, 255, 255),
                text=(0, 0, 0) if hc else (20, 20, 20), text_on_strong=(255, 255, 255),
                label_background=(255, 255, 255, 240 if hc else 215),
                selection=(200, 30, 90), band_fill=(255, 226, 120, 90),
                band_edge=(214, 170, 30), band_text=(120, 90, 0),
                legend_background=(255, 255, 255, 230), legend_border=(180, 180, 180),
                legend_text=(0, 0, 0) if hc else (30, 30, 30),
                image_border=(120, 120, 120), image_empty=(235, 225),
                neutral=(150, 150, 150) if hc else style.NEUTRAL,
                plot_background=(255, 255, 255),
                plot_foreground=(40, 40, 40) if hc else (150, 150, 150),
                curves={"batch": (150, 150, 150), "train": (0, 0, 0), "test": (213, 94, 0),
                        "validation": (0, 114, 178), "diverged": (176, 0, 32),
                        "sweep": (0, 114, 178)},
                frame=(150, 150, 150), muted=(170, 170, 170))
        if hc or s > 1.0:
            halo = (*c["background"], 230)
        neutral = c.pop("neutral")
        return Colours(
            dark=self.dark, scale=s, high_contrast=hc,
            diverging=style.Diverging(tuple(neg), tuple(pos), tuple(neutral)),
            outline_width=(2.5 if hc else 1.5) * s,
            selection_width=4.0 * s * (1.25 if hc else 1.0), selection_halo=halo,
            edge_width=((2.0 if hc else 0.6) * s, 5.0 * s),
            edge_min_alpha=150 if hc else style.MIN_ALPHA, edge_px=2 if hc else 1,
            dash=(7.0, 4.0),
            font_label=13.0 * s, font_bias=16.0 * s, font_band=15.0 * s, font_legend=12.0 * s,
            **c)


def system_theme() -> str:
    """"dark" when the desktop asks for a dark colour scheme, else "light" (also when it does
    not say, or before a QGuiApplication exists)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        return "light"
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def resolve_theme(choice: str | None) -> str:
    """A theme from a setting or a command-line flag: "light", "dark", or "system"/None/""
    (what the desktop uses). Anything else is a ValueError."""
    if choice in (None, "", "system", "auto"):
        return system_theme()
    if choice not in THEMES:
        raise ValueError(f"theme must be one of {THEMES + ('system',)}, got {choice!r}")
    return choice


def qt_palette(theme: str):
    """The QPalette of ``theme`` for the Fusion style: window, base, text, buttons, tooltips,
    highlight, links, and the disabled state."""
    from PySide6.QtGui import QColor, QPalette

    R, G = QPalette.ColorRole, QPalette.ColorGroup
    if theme == "dark":
        roles = {
            R.Window: (45, 45, 48), R.WindowText: (230, 230, 230), R.Base: (30, 30, 32),
            R.AlternateBase: (40, 40, 43), R.ToolTipBase: (58, 58, 62),
            R.ToolTipText: (235, 235, 235), R.PlaceholderText: (145, 145, 145),
            R.Text: (230, 230, 230), R.Button: (56, 56, 60), R.ButtonText: (230, 230, 230),
            R.BrightText: (255, 110, 110), R.Light: (82, 82, 86), R.Midlight: (68, 68, 72),
            R.Mid: (110, 110, 115), R.Dark: (30, 30, 32), R.Shadow: (12, 12, 12),
            R.Highlight: (38, 120, 200), R.HighlightedText: (255, 255, 255),
            R.Link: (110, 180, 255), R.LinkVisited: (190, 150, 255), R.Accent: (38, 120, 200),
        }
        disabled = {R.WindowText: (128, 128, 128), R.Text: (128, 128, 128),
                    R.ButtonText: (128, 128, 128), R.Highlight: (75, 75, 80),
                    R.HighlightedText: (160, 160, 160), R.Base: (38, 38, 40),
                    R.Button: (50, 50, 53), R.Window: (45, 45, 48),
                    R.PlaceholderText: (100, 100, 100), R.Light: (60, 60, 64)}
    else:
        roles = {
            R.Window: (239, 239, 239), R.WindowText: (0, 0, 0), R.Base: (255, 255, 255),
            R.AlternateBase: (247, 247, 247), R.ToolTipBase: (255, 255, 220),
            R.ToolTipText: (0, 0, 0), R.PlaceholderText: (110, 110, 110),
            R.Text: (0, 0, 0), R.Button: (239, 239, 239), R.ButtonText: (0, 0, 0),
            R.BrightText: (255, 255, 255), R.Light: (255, 255, 255),
            R.Midlight: (202, 202, 202), R.Mid: (184, 184, 184), R.Dark: (159, 159, 159),
            R.Shadow: (118, 118, 118), R.Highlight: (48, 140, 198),
            R.HighlightedText: (255, 255, 255), R.Link: (0, 0, 238),
            R.LinkVisited: (82, 24, 139), R.Accent: (48, 140, 198),
        }
        disabled = {R.WindowText: (120, 120, 120), R.Text: (120, 120, 120),
                    R.ButtonText: (120, 120, 120), R.Highlight: (145, 145, 145),
                    R.HighlightedText: (255, 255, 255), R.Base: (239, 239, 239),
                    R.Button: (239, 239, 239), R.Window: (239, 239, 239),
                    R.PlaceholderText: (150, 150, 150), R.Light: (255, 255, 255)}
    pal = QPalette()
    for role, rgb in roles.items():
        pal.setColor(G.All, role, QColor(*rgb))
    for role, rgb in disabled.items():
        pal.setColor(G.Disabled, role, QColor(*rgb))
    return pal


def apply_theme(app, theme: str) -> None:
    """Give ``app`` (the QApplication) the Fusion style and ``theme``'s palette, and make
    pyqtgraph plots created from now on use its background and foreground. Widgets that draw
    with their own colours (the graph, the plots) follow through ``set_appearance``."""
    import pyqtgraph as pg

    if theme not in THEMES:
        raise ValueError(f"theme must be one of {THEMES}, got {theme!r}")
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(qt_palette(theme))
    c = Appearance(theme).colours()
    pg.setConfigOptions(background=c.plot_background, foreground=c.plot_foreground)


def apply_appearance(window, appearance: Appearance) -> None:
    """``apply_theme`` for the application, then ``set_appearance(appearance)`` on every widget
    under ``window`` that has one (the graph view, the plots, the sweep plot, the prediction
    bars, the weight painter)."""
    from PySide6.QtWidgets import QApplication, QWidget

    apply_theme(QApplication.instance(), appearance.theme)
    for widget in window.findChildren(QWidget):
        setter = getattr(widget, "set_appearance", None)
        if callable(setter):
            setter(appearance)
