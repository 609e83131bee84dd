"""The Landscape panel: the graph of the error E as a function of the selected weight or bias,
all other parameters fixed (the articles' "graph of the error function"), or over two
parameters (the selection and a second one, Ctrl+click in the graph).

The slope of the tangent at the current point is backpropagation's ∂E/∂w, the number the
Inspector, the equations and the gradient check show; the step −η ∂E/∂w is an arrow to the point
it lands on, with E after; η is the walk's (the same spin box value everywhere), so overshooting
shows live. With two parameters: a heatmap with contours, the step, the descent path and random
restarts. Dragging the point sets the parameter(s) through the document, one undoable step per
drag. During stepping the panel follows the walk (at the update stage it shows the step taken);
while training it draws the parameter's trail, redrawn at most every REDRAW_MS.

Every number is the core's (``core.landscape``); the panel only chooses what to compute.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import landscape
from ...core.notation import fmt
from ..look.style import ERROR_CSS
from ..look.theme import Appearance
from ..model.selection import Change, Selection
from ..model.walking import ETA_RANGE
from .plots import CurvePlot, GridPlot
from .source import Source, SteadySpan, parameter_of, source_of

#: Redraws while training are at least this far apart (ms).
REDRAW_MS = 250
#: Descent on a two-parameter slice: steps from the point and from each restart, restarts.
STEPS, RESTARTS = 30, 4
#: The data E can be averaged over: label → examples.
DATA_CHOICES = {"this example": 1, "100 examples": 100, "1,000 examples": 1000}
#: Most points of a trail kept while training.
TRAIL_MAX = 2000
#: A grid over more than one example is computed (and drawn) this many rows at a time, one
#: batch per turn of the event loop, so that the window never stalls.
JOB_ROWS = 4

HINT = ("Select a weight or a bias (an edge) in the graph: its landscape shows here. "
        "Ctrl+click a second one for E over both.")


def _label(tip: str = "") -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setToolTip(tip)
    return label


class LandscapePanel(QWidget):
    """E over the selected parameter (and a second one), following the document."""

    def __init__(self, doc, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = doc
        self.second: landscape.Parameter | None = None
        self.spans = [SteadySpan(), SteadySpan()]
        self.samples = 1
        self.result = None  # the core's Curve or Grid drawn last
        self.source: Source | None = None
        self.trail: list = []  # (values..., E) while training
        self._gesture: int | None = None
        self._dirty = True
        self.title = _label()
        self.title.setStyleSheet("font-weight: bold")
        self.hint = _label()
        self.curve_plot = CurvePlot()
        self.grid_plot = GridPlot()
        self.plots = QStackedWidget()
        self.plots.addWidget(self.curve_plot)
        self.plots.addWidget(self.grid_plot)
        self.curve_plot.dragged.connect(self._on_dragged)
        self.grid_plot.dragged.connect(self._on_dragged)
        self.readout = _label("The numbers of the picture, all computed by the core")
        self.readout.setTextInteractionFlags(self.readout.textInteractionFlags()
                                             | self.readout.textInteractionFlags().
                                             TextSelectableByMouse)
        self.note = _label()
        self.note.setStyleSheet("color: #8a5300")
        self.message = _label("Why the last change was refused")
        self.message.setStyleSheet(ERROR_CSS)
        self.eta_spin = QDoubleSpinBox()
        self.eta_spin.setRange(*ETA_RANGE)
        self.eta_spin.setDecimals(4)
        self.eta_spin.setStepType(QDoubleSpinBox.StepType.AdaptiveDecimalStepType)
        self.eta_spin.setToolTip("Learning rate η of the step (the walk's η): make it large "
                                 "and watch the step jump over the minimum")
        self.eta_spin.valueChanged.connect(self._on_eta_changed)
        self.data_combo = QComboBox()
        self.data_combo.addItems(list(DATA_CHOICES))
        self.data_combo.setToolTip("E on the current example (as the walk) or the mean over "
                                   "the first examples of the data")
        self.data_combo.currentTextChanged.connect(self._on_data_changed)
        self.recentre_button = QPushButton("Recentre")
        self.recentre_button.setToolTip("Centre the range on the current value again")
        self.recentre_button.clicked.connect(self.recentre)
        self.second_label = _label("The second parameter (Ctrl+click a weight or bias in "
                                   "the graph)")
        self.clear_second_button = QPushButton("×")
        self.clear_second_button.setToolTip("Back to one parameter")
        self.clear_second_button.setMaximumWidth(28)
        self.clear_second_button.clicked.connect(self.clear_second)
        row = QHBoxLayout()
        row.addWidget(QLabel("η"))
        row.addWidget(self.eta_spin)
        row.addWidget(self.data_combo)
        row.addWidget(self.recentre_button)
        row.addStretch(1)
        row.addWidget(self.second_label)
        row.addWidget(self.clear_second_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.title)
        lay.addWidget(self.hint)
        lay.addWidget(self.plots, 1)
        lay.addLayout(row)
        lay.addWidget(self.readout)
        lay.addWidget(self.note)
        lay.addWidget(self.message)
        self._timer = QTimer(self, singleShot=True, interval=REDRAW_MS)
        self._timer.timeout.connect(self.refresh)
        self._job = None  # a grid being computed row by row
        self._job_timer = QTimer(self, singleShot=True, interval=0)
        self._job_timer.timeout.connect(self._job_step)
        self.set_appearance(Appearance())
        doc.changed.connect(self._on_document_changed)
        self.refresh()

    def set_appearance(self, appearance: Appearance) -> None:
        """The plots' background, axes and curve for a ``theme.Appearance``."""
        c = appearance.colours()
        self.curve_plot.set_colours(c)
        self.grid_plot.set_colours(c)

    # -- what is drawn -------------------------------------------------------------------------
    @property
    def params(self) -> list:
        first = parameter_of(self.doc.selection)
        if first is None:
            return []
        return [first] if self.second in (None, first) else [first, self.second]

    def set_second(self, sel: Selection | None) -> None:
        """A second parameter (a weight or bias Selection), or None for one; Ctrl+click on the
        second again drops it."""
        param = parameter_of(sel)
        if param is not None:
            try:
                param.check(self.doc.net)
            except ValueError:
                param = None
        self.second = None if param == self.second else param
        self.spans[1].recentre()
        self.trail = []
        self.refresh()

    def clear_second(self) -> None:
        self.set_second(None)

    def recentre(self) -> None:
        for s in self.spans:
            s.recentre()
        self.refresh()

    # -- following the document ------------------------------------------------------------------
    def _on_document_changed(self, change: Change) -> None:
        if change & Change.NETWORK and self.second is not None:
            try:
                self.second.check(self.doc.net)
            except ValueError:
                self.second = None
        if change & (Change.SELECTION | Change.NETWORK | Change.INPUT):
            self.trail = []
        if change & Change.LOCK and self.doc.locked_reason:
            self.trail = []  # a new run
        if not change & (Change.VALUES | Change.SELECTION | Change.LOCK | Change.EXAMPLES):
            return
        if self.doc.locked_reason and change & Change.PARAMETERS:
            self._record_trail()
            if not self._timer.isActive() and not self.computing:  # at most one redraw per
                self._timer.start()  # REDRAW_MS, and a grid under way is let finish
            return
        self.refresh()

    def _record_trail(self) -> None:
        """The live frame's point of the trail (only while shown). On one example its E is the
        document's own (the frame's forward pass is done already); over many examples the
        points are taken at each redraw instead (a forward pass over them per frame would
        cost the window more than the frames)."""
        params, doc = self.params, self.doc
        if not params or not self.isVisible() or self.samples > 1 or doc.trace is None \
                or doc.target is None or doc.walk is not None:
            return
        E = doc.net.cost(doc.trace, doc.target)
        self.trail.append([p.value(doc.net) for p in params] + [E])
        del self.trail[:-TRAIL_MAX]

    def showEvent(self, ev) -> None:  # noqa: N802 - Qt's API
        super().showEvent(ev)
        if self._dirty:
            self.refresh()

    def refresh(self, *_) -> None:
        """Compute the slice for the document as it is and draw it (only while shown)."""
        self._timer.stop()
        self._job = None  # a grid under way is out of date
        self._job_timer.stop()
        self.eta_spin.blockSignals(True)
        self.eta_spin.setValue(self.doc.step_eta)
        self.eta_spin.blockSignals(False)
        params = self.params
        self.second_label.setText(f"2nd: {self.second.name}" if self.second is not None
                                  else "")
        self.clear_second_button.setVisible(self.second is not None)
        if not params:
            self._show_nothing(HINT)
            return
        src = source_of(self.doc, self.samples)
        if isinstance(src, str):
            self._show_nothing(src)
            return
        if not self.isVisible():
            self._dirty = True
            return
        self._dirty = False
        self.source = src
        self.hint.hide()
        self.plots.show()
        if len(params) == 2 and src.samples > 1:
            self._start_job(src, params)
            return
        try:
            self.result = self._compute(src, params)
        except ValueError as exc:  # e.g. η too large for the update
            self._show_nothing(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            return
        if src.phase == "training" and src.samples > 1:  # a trail point per redraw
            r = self.result
            point = [r.value] if len(params) == 1 else list(r.value)
            self.trail.append(point + [r.E_value])
        self._draw(src, params)

    @property
    def computing(self) -> bool:
        """True while a grid is being computed row by row."""
        return self._job is not None

    def _start_job(self, src: Source, params: list) -> None:
        s = landscape.Slice(src.net, src.x, src.y, params)
        ends = s.value - src.eta * s.slope()
        axes = [np.linspace(*span.update(p, v, e), landscape.GRID_POINTS)
                for span, p, v, e in zip(self.spans, params, s.value, ends)]
        self._job = {"slice": s, "axes": axes, "row": 0, "src": src, "params": params,
                     "E": np.full((len(axes[0]), len(axes[1])), np.nan)}
        self.result = None
        self.plots.setCurrentWidget(self.grid_plot)
        self.readout.setText(f"Computing E over {len(axes[0])} × {len(axes[1])} points…")
        self._job_timer.start()

    def _job_step(self) -> None:
        job = self._job
        if job is None:
            return
        r, axes = job["row"], job["axes"]
        job["E"][r:r + JOB_ROWS] = job["slice"].energies(axes[0][r:r + JOB_ROWS], axes[1])
        job["row"] = r + JOB_ROWS
        names = [p.name for p in job["params"]]
        if job["row"] < len(axes[0]):
            self.grid_plot.show_heatmap(job["E"], axes, names)
            self._job_timer.start()
            return
        src, params = job["src"], job["params"]
        self._job = None
        try:
            self.result = landscape.grid(src.net, src.x, src.y, *params, eta=src.eta,
                                         steps=STEPS, restarts=RESTARTS, axes=axes,
                                         E=job["E"])
        except ValueError as exc:
            self._show_nothing(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
            return
        self._draw(src, params)

    def _show_nothing(self, why: str) -> None:
        self.result = None
        self.title.setText("Landscape")
        self.hint.setText(why)
        self.hint.show()
        self.plots.hide()
        self.readout.setText("")
        self.note.setText("")

    def _compute(self, src: Source, params: list):
        values = [p.value(src.net) for p in params]
        for _ in range(2):  # once more if the step left the range (overshooting)
            axes = [np.linspace(*span.update(p, v), landscape.CURVE_POINTS if len(params) == 1
                                else landscape.GRID_POINTS)
                    for span, p, v in zip(self.spans, params, values)]
            if len(params) == 1:
                r = landscape.curve(src.net, src.x, src.y, params[0], eta=src.eta,
                                    values=axes[0])
                ends = [r.step_to]
            else:
                r = landscape.grid(src.net, src.x, src.y, *params, eta=src.eta, steps=STEPS,
                                   restarts=RESTARTS, axes=axes)
                ends = list(r.step_to)
            if all(not math.isfinite(e) or a[0] <= e <= a[-1] for e, a in zip(ends, axes)):
                break
            for span, p, v, e in zip(self.spans, params, values, ends):
                span.update(p, v, e)
        return r

    def _draw(self, src: Source, params: list) -> None:
        r, names = self.result, [p.name for p in params]
        show_step = src.phase != "forward"
        trail = None
        if self.trail:
            t = np.array(self.trail)  # one column per parameter, then E
            trail = (t[:, 0], t[:, -1]) if len(params) == 1 else (t[:, 0], t[:, 1])
        data = "" if src.samples == 1 else f", mean over {src.samples} examples"
        if len(params) == 1:
            self.plots.setCurrentWidget(self.curve_plot)
            self.curve_plot.show_curve(r, names[0], show_step, trail)
            self.title.setText(f"E as a function of {names[0]} (all other parameters "
                               f"fixed{data})")
            self.readout.setText(self._curve_text(r, names[0], show_step))
        else:
            self.plots.setCurrentWidget(self.grid_plot)
            self.grid_plot.show_grid(r, names, show_step, trail)
            self.title.setText(f"E over {names[0]} and {names[1]} (all other parameters "
                               f"fixed{data}; dark is low)")
            self.readout.setText(self._grid_text(r, names, show_step))
        self.note.setText(self._note(src, len(params)))

    def _curve_text(self, c, name: str, show_step: bool) -> str:
        text = f"E = {fmt(c.E_value)} at {name} = {fmt(c.value)}"
        if not show_step:
            return text
        change = "lower" if c.E_after < c.E_value else "higher: the step overshot" \
            if c.E_after > c.E_value else "the same"
        return (f"{text}<br>slope ∂E/∂{name} = <b>{fmt(c.slope)}</b> (backpropagation, as in "
                f"the Inspector and the equations)<br>step −η ∂E/∂{name} = "
                f"{fmt(c.step_to - c.value)} → {name} = {fmt(c.step_to)}, E after = "
                f"<b>{fmt(c.E_after)}</b> ({change})")

    def _grid_text(self, g, names, show_step: bool) -> str:
        text = (f"E = {fmt(g.E_value)} at ({names[0]}, {names[1]}) = ({fmt(g.value[0])}, "
                f"{fmt(g.value[1])})")
        if not show_step:
            return text
        text += (f"<br>gradient (∂E/∂{names[0]}, ∂E/∂{names[1]}) = (<b>{fmt(g.gradient[0])}"
                 f"</b>, <b>{fmt(g.gradient[1])}</b>); step → ({fmt(g.step_to[0])}, "
                 f"{fmt(g.step_to[1])}), E after = <b>{fmt(g.E_after)}</b>")
        if g.path is not None:
            text += (f"<br>{len(g.path.E) - 1} steps of η from the point (white): E "
                     f"{fmt(g.path.E[0])} → {fmt(g.path.E[-1])}"
                     f"{' (diverged)' if g.path.diverged else ''}")
        if g.restarts:
            ends = ", ".join(fmt(p.E[-1]) for p in g.restarts)
            text += (f"; {len(g.restarts)} random restarts (pink, from ○ to ×) end at "
                     f"E = {ends}")
        return text

    def _note(self, src: Source, count: int) -> str:
        what = "these parameters" if count == 2 else "this parameter"
        if src.phase == "forward":
            return ("Stepping: the slope is known once the walk reaches the gradients stage "
                    "(step on).")
        if src.phase == "update":
            return ("The update took this step, and moved every other weight and bias at the "
                    "same time: E after the real update = "
                    f"{fmt(src.real_E_after)}. The picture is before the update.")
        if src.phase == "training":
            return (f"Training: the picture is E with the other weights as they are now, so "
                    f"the slice moves as they change; the green trail is {what} over the run "
                    f"(redrawn at most {1000 // REDRAW_MS} times a second).")
        return ""

    # -- edits -----------------------------------------------------------------------------------
    def _on_eta_changed(self, eta: float) -> None:
        try:
            self.doc.set_step_eta(eta)
            self.message.setText("")
        except ValueError as exc:
            self.message.setText(f"{str(exc)[:1].upper()}{str(exc)[1:]}.")

    def _on_data_changed(self, text: str) -> None:
        self.samples = DATA_CHOICES.get(text, 1)
        self.trail = []
        self.refresh()

    def _on_dragged(self, stage: str, values) -> None:
        if stage == "start":
            self._gesture = self.doc.begin_gesture()
        if self._gesture is None:
            return
        self.set_values(values, self._gesture)
        if stage == "end":
            self._gesture = None

    def set_values(self, values, gesture: int | None = None) -> bool:
        """Set the shown parameter(s) to ``values`` through the document (edits with the same
        ``gesture`` are one undo step); False, with the reason shown, if refused."""
        params = self.params
        entries = [(p.kind, p.layer, p.j, p.k, float(v)) for p, v in zip(params, values)]
        try:
            self.doc.set_values(entries, gesture)
        except (ValueError, PermissionError) as exc:
            self.message.setText(f"Not now: {exc}.")
            return False
        self.message.setText("")
        return True
