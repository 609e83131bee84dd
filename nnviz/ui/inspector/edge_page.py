"""The inspector's page for a weight w^l_jk or a bias b^l_j (a mixin of InspectorPanel): its
value field, the value slider (one undo step per drag or per burst of wheel / key steps), the
slider's ends (decided when the weight is selected, widened only if the value leaves them),
the activation the edge carries and the gradient ∂E/∂w."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QSlider, QWidget

from ...core.edits import MAX_ABS
from ...core.notation import format_number, weight_name
from ..model.selection import Selection
from .fields import NumberField, make_button, make_label, show_number

#: Steps of the value slider over its range.
SLIDER_TICKS = 1000
#: Slider changes without a drag (wheel, keys) this close together are one undo step.
WHEEL_GESTURE_MS = 600


def slider_span(value: float) -> tuple[float, float]:
    """The value slider's range: value ± max(1, 2·|value|), within ±MAX_ABS."""
    r = max(1.0, 2.0 * abs(value))
    return max(-MAX_ABS, value - r), min(MAX_ABS, value + r)


def steady_span(span: tuple[float, float], value: float) -> tuple[float, float]:
    """The slider's range ``span`` kept while ``value`` is in it; when the value has left it
    (typed, wheeled, undone), only the end it passed moves out, to that of slider_span(value)."""
    lo, hi = span
    if value > hi:
        return lo, slider_span(value)[1]
    if value < lo:
        return slider_span(value)[0], hi
    return span


class EdgePage:
    """Builds and fills the InspectorPanel's page for an edge or a bias, and runs its slider."""

    # -- building ------------------------------------------------------------------------------
    def _build_edge_page(self) -> QWidget:
        self._slider_gesture: int | None = None
        self._dragging = False
        self._span = (-1.0, 1.0)
        self._span_of: Selection | None = None  # whose value the range was decided for
        page = QWidget()
        self.value_field = NumberField("The value: type it and press Enter (within ±1000)")
        self.value_field.edited.connect(self._on_field_edited)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, SLIDER_TICKS)
        self.slider.setToolTip("Drag to change the value live (one undo step per drag); the "
                               "range is set when you select the weight and stays put (it "
                               "widens only if the value leaves it)")
        self.slider.sliderPressed.connect(self._on_slider_pressed)
        self.slider.valueChanged.connect(self._on_slider_value_changed)
        self.slider.sliderReleased.connect(self._end_slider_gesture)
        self.slider_low, self.slider_high = make_label("The slider's lower end"), make_label(
            "The slider's upper end")
        self.slider_high.setAlignment(Qt.AlignmentFlag.AlignRight)
        ends = QHBoxLayout()
        ends.addWidget(self.slider_low)
        ends.addWidget(self.slider_high)
        self.source_value = make_label()
        self.gradient = make_label()
        form = self.edge_form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Value", self.value_field)
        form.addRow("", self.slider)
        form.addRow("", ends)
        form.addRow("Carries a", self.source_value)
        form.addRow("∂E/∂w", self.gradient)
        self.landscape_button = make_button(
            "Landscape", "E as a function of this parameter: the slope is ∂E/∂w, a step of η "
            "moves the point downhill (View › Landscape)",
            lambda: self.landscapeRequested.emit())
        form.addRow("", self.landscape_button)
        self._wheel_timer = QTimer(self, singleShot=True, interval=WHEEL_GESTURE_MS)
        self._wheel_timer.timeout.connect(self._end_slider_gesture)
        return page

    # -- filling -------------------------------------------------------------------------------
    def _show_parameter(self, sel: Selection, locked: bool) -> None:
        d, l, j, k = self.doc, sel.layer, sel.j, sel.k
        walk, trace = d.walk, d.trace
        edge = sel.kind == "edge"
        name = weight_name(l, j, k) if edge else weight_name(l, j, kind="b")
        self.title.setText(f"{'Weight' if edge else 'Bias'} {name}")
        self.subtitle.setText(
            f"from neuron {k} of layer {l - 1} to neuron {j} of layer {l}" if edge else
            f"of neuron {j} of layer {l} (the edge from layer {l - 1}'s “+1”)")
        value = float(d.net.weights[l - 1][j, k] if edge else d.net.biases[l - 1][j])
        self.value_field.show_value(sel, value)
        self.value_field.setEnabled(not locked)
        self.slider.setEnabled(not locked)
        if self._slider_gesture is None:  # never move the range under a dragging hand
            if sel != self._span_of:
                self._span, self._span_of = slider_span(value), sel
            else:  # steady, so a drag to one end and back returns where it started
                self._span = steady_span(self._span, value)
            self.slider.blockSignals(True)
            self.slider.setValue(self._tick(value))
            self.slider.blockSignals(False)
        self.slider_low.setText(format_number(self._span[0]))
        self.slider_high.setText(format_number(self._span[1]))
        form = self.edge_form
        form.setRowVisible(self.source_value, edge)
        if edge:
            carried = weight_name(l - 1, k, kind="a")
            form.labelForField(self.source_value).setText(f"Carries {carried}")
            show_number(self.source_value, None if trace is None else trace.a[l - 1][k],
                        self._why_no_number())
        form.labelForField(self.gradient).setText(f"∂E/∂{name}")
        known = walk is not None and walk.gradients_known
        grad = (walk.grads.weights[l - 1][j, k] if edge else walk.grads.biases[l - 1][j]
                ) if known else None
        show_number(self.gradient, grad, "The gradient is known once the walk reaches its "
                                         "gradients stage: step through the passes")

    # -- the slider: one gesture per drag (or per burst of wheel / key steps) -------------------
    def _tick(self, value: float) -> int:
        lo, hi = self._span
        return round((value - lo) / (hi - lo) * SLIDER_TICKS)

    def slider_range(self) -> tuple[float, float]:
        """The values at the slider's two ends."""
        return self._span

    @property
    def slider_gesture_open(self) -> bool:
        """True while a slider gesture (a drag, or a burst of wheel / key steps) is going on:
        its changes are one undo step."""
        return self._slider_gesture is not None

    def _on_slider_pressed(self) -> None:
        self._wheel_timer.stop()
        self._dragging = True
        self._slider_gesture = self.doc.begin_gesture()

    def _on_slider_value_changed(self, tick: int) -> None:
        if self._slider_gesture is None:
            self._slider_gesture = self.doc.begin_gesture()
        if not self._dragging:
            self._wheel_timer.start()
        lo, hi = self._span
        value = lo + (hi - lo) * tick / SLIDER_TICKS
        self._try(self._set_selected, value, self._slider_gesture)

    def _end_slider_gesture(self) -> None:
        self._wheel_timer.stop()
        was = self._slider_gesture is not None
        self._dragging, self._slider_gesture = False, None
        if was:
            self.refresh()
