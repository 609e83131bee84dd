"""The Landscape panel's tests share one panel, shown at a size its plots fit."""

import pytest

from nnviz.ui.landscape.panel import LandscapePanel


@pytest.fixture
def panel(qtbot, doc):
    p = LandscapePanel(doc)
    qtbot.addWidget(p)
    p.resize(640, 520)
    p.show()
    qtbot.waitExposed(p)
    return p
