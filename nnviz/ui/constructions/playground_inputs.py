"""The playground's input features (a mixin of PlaygroundPanel): one check box per feature of
TensorFlow Playground (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂), and the change of the network's
input layer they ask for, one undo step through the document (``Document.change_inputs``): the
weights of the inputs that stay are kept, new inputs get fresh weights, the network's own data
is fed the new features. The features themselves are computed by ``core.plane_features``."""

from __future__ import annotations

import numpy as np
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel

from ...core import plane_features as fx


class PlaygroundInputs:
    """The feature check boxes of the PlaygroundPanel and what they do."""

    def _build_inputs_row(self) -> QHBoxLayout:
        self.feature_boxes: dict[str, QCheckBox] = {}
        row = QHBoxLayout()
        row.setSpacing(6)
        inputs = QLabel("Inputs:")
        inputs.setToolTip("What the network is fed for a point (x₁, x₂) of the plane")
        row.addWidget(inputs)
        for key, (label, _) in fx.FEATURES.items():
            box = QCheckBox(label)
            box.setToolTip(f"Feed the network {label} of each point as an input (one undo "
                           "step; the other inputs keep their weights, a new one starts "
                           "random)")
            box.toggled.connect(lambda on, k=key: self._on_feature_toggled(k, on))
            self.feature_boxes[key] = box
            row.addWidget(box)
        row.addStretch(1)
        return row

    # -- state ---------------------------------------------------------------------------------
    @property
    def features(self) -> tuple[str, ...] | None:
        """The features the network is fed (keys of fx.FEATURES, in input order), or None when
        its inputs are not features of the plane."""
        doc = self.doc
        n0 = doc.net.sizes[0]
        for ds in (doc.preset_dataset, doc.test_dataset):
            if isinstance(ds, fx.PlaneData) and ds.n_inputs == n0:
                return tuple(ds.features)
        keys = fx.keys_for_labels(doc.input_labels)
        if keys is not None and len(keys) == n0:
            return keys
        return fx.PLAIN if n0 == 2 else None

    def plane_inputs(self, points: np.ndarray) -> np.ndarray:
        """The network's inputs for points (n, 2) of the plane."""
        keys = self.features
        return points if keys == fx.PLAIN else fx.feature_matrix(points, keys)

    def current_point(self) -> tuple[float, float] | None:
        """The point of the plane whose features are the document's input, if known."""
        keys, doc = self.features, self.doc
        if keys is None or doc.x is None:
            return None
        for ds in (doc.preset_dataset, doc.test_dataset):
            point = fx.point_of(doc.x, keys, ds)
            if point is not None:
                return point
        return None

    def _show_features(self) -> None:
        keys = self.features or ()
        for key, box in self.feature_boxes.items():
            box.blockSignals(True)
            box.setChecked(key in keys)
            box.blockSignals(False)

    # -- the change --------------------------------------------------------------------------
    def _on_feature_toggled(self, key: str, on: bool) -> None:
        keys = set(self.features or ())
        keys = keys | {key} if on else keys - {key}
        if not self.set_features(tuple(keys)):
            self._show_features()

    def set_features(self, keys) -> bool:
        """Feed the network the features ``keys`` (one undo step). False, with the reason
        shown, when that is not possible (no feature left, a run that cannot stop)."""
        if self.features is None:
            return False
        try:
            keys = fx.check_keys(keys)
        except ValueError as exc:
            self.status.setText(f"Cannot change the inputs: {exc}.")
            return False
        if keys == self.features:
            return True

        def change():
            doc, old = self.doc, self.features
            point = self.current_point()
            net = fx.set_inputs(doc.net, old, keys)
            train, test = (None if ds is None else fx.with_features(ds, keys)
                           for ds in (doc.preset_dataset, doc.test_dataset))
            x = None if point is None else fx.feature_matrix(np.array([point]), keys)[0]
            labels = fx.labels(keys)
            described = "" if x is None or not doc.input_description.startswith("x = (") \
                else "x = (" + ", ".join(f"{v:g}" for v in x) + ")"  # the values, as typed
            doc.change_inputs(net, train, test, labels, x, f"Inputs {', '.join(labels)}",
                              described)
            if self.data is not None:
                self.data = type(self.data)(self.data.key, self.data.noise, train, test)
        return self._change(change, "change the inputs")
