"""Widgets bound to a field of an observable model (``core.session.TrainingSettings``): the widget
shows the field and writes it; a change of the field from anywhere (another bound widget, a
data set's suggested settings) shows in every widget bound to it. Two panels that show the same
setting therefore never need to be kept in step by hand."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class _Binding(QObject):
    """One widget ↔ one field; lives as the widget's child and disconnects when it goes."""

    def __init__(self, widget: QWidget, model, name: str, writes: bool = True) -> None:
        super().__init__(widget)
        self.widget, self.model, self.name = widget, model, name
        model.observe(self._on_model_changed, name)
        widget.destroyed.connect(self._disconnect)
        if writes and isinstance(widget, QComboBox):
            widget.currentTextChanged.connect(self._on_widget_changed)
        elif writes:
            widget.valueChanged.connect(self._on_widget_changed)
        self._on_model_changed(name, getattr(model, name))

    def _disconnect(self, *_) -> None:
        self.model.unobserve(self._on_model_changed, self.name)

    def _on_model_changed(self, _name: str, value) -> None:
        w = self.widget
        w.blockSignals(True)  # the model already has the value
        try:
            if isinstance(w, QComboBox):
                w.setCurrentText(str(value))
            else:
                w.setValue(value)
        finally:
            w.blockSignals(False)

    def _on_widget_changed(self, value) -> None:
        if getattr(self.model, self.name) != value:
            setattr(self.model, self.name, value)


def bind(widget: QAbstractSpinBox | QComboBox, model, name: str,
         writes: bool = True) -> QWidget:
    """Bind a spin box's value (or a combo box's text) to ``model.<name>``: the widget shows
    the field and, if ``writes``, sets it when the user changes the widget (without, the owner
    of the widget decides what a change means). Returns the widget."""
    _Binding(widget, model, name, writes)
    return widget
