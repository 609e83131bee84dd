"""New network dialog: typing only checks the text, OK builds the network; no empty sizes."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox

from nnviz.core import Network
from nnviz.ui.files.new_network_dialog import NewNetworkDialog, parse_sizes


@pytest.mark.parametrize("text,layer", [
    ("2,,1", 2), ("2, , 1", 2), ("2, 3,", 3), (",2, 3", 1), ("2--1", 2), ("2-3-", 3),
])
def test_an_empty_size_is_refused_not_skipped(text, layer):
    with pytest.raises(ValueError, match=f"Layer {layer} has no size"):
        parse_sizes(text)


def test_spaces_around_separators_are_not_empty_sizes():
    assert parse_sizes(" 2 ,3 ,  1 ") == [2, 3, 1]
    assert parse_sizes("2  3   1") == [2, 3, 1]
    assert parse_sizes("2, 3 1") == [2, 3, 1]


def test_typing_only_checks_and_ok_builds_the_network_once(qtbot, monkeypatch):
    built = []
    real = Network.initialise
    monkeypatch.setattr(Network, "initialise",
                        lambda self, *a, **k: (built.append(self.sizes), real(self, *a, **k)))
    dialog = NewNetworkDialog(sizes="")
    qtbot.addWidget(dialog)
    dialog.seed_box.setValue(7)
    QTest.keyClicks(dialog.sizes_edit, "2, 40, 3")
    assert built == []  # each keystroke only checked the text
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled() and len(dialog.act_boxes) == 2
    dialog.act_boxes[0].setCurrentText("softmax")  # still refused while typing, unbuilt
    assert not ok.isEnabled() and "output layer" in dialog.message.text()
    dialog.act_boxes[0].setCurrentText("relu")
    QTest.keyClicks(dialog.sizes_edit, ",")
    assert not ok.isEnabled() and "Layer 4 has no size" in dialog.message.text()
    QTest.keyClick(dialog.sizes_edit, Qt.Key.Key_Backspace)
    assert built == []
    ok.click()
    assert dialog.result() == NewNetworkDialog.DialogCode.Accepted
    assert built == [[2, 40, 3]]
    net = dialog.network()  # the network built on OK, not a second draw
    assert net.sizes == [2, 40, 3] and net.activation_names == ["relu", "sigmoid"]
    assert len(built) == 1
