import numpy as np
import pytest
from PySide6.QtCore import QSettings


@pytest.fixture(autouse=True)
def no_unsaved_changes_dialog(monkeypatch):
    """Tests never block on the modal "save your changes?" question: the answer is "discard"
    unless a test sets another (tests of that question patch it themselves)."""
    from nnviz.ui.files.network_files import NetworkFiles

    monkeypatch.setattr(NetworkFiles, "ask", lambda self, doing: "discard")


@pytest.fixture(autouse=True)
def warnings_shown(monkeypatch):
    """Warning boxes are recorded (title, text) instead of shown: they are modal."""
    from PySide6.QtWidgets import QMessageBox

    shown = []

    def warning(parent, title, text, *args, **kwargs):
        shown.append((title, text))
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    return shown


@pytest.fixture
def settings(tmp_path):
    """Settings in a temporary file, so tests never touch the user's."""
    return QSettings(str(tmp_path / "nnviz.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    from nnviz.ui.app.main_window import MainWindow

    win = MainWindow(settings=settings, preset="xor", load_data=False)
    win.resize(1200, 800)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def doc(qapp):
    """A document holding the running example: sizes [1, 2, 2, 1], example x = (0.5,),
    target y = (1,)."""
    from nnviz.ui.model.document import Document

    d = Document()
    d.load_preset("running-example")
    return d


@pytest.fixture
def doc_without_target(doc):
    """The running example with its input set again to 0.5 and so no target."""
    doc.set_input(np.full(doc.net.sizes[0], 0.5))
    return doc


@pytest.fixture
def doc_1_20_1(qapp):
    """A document holding a fresh 1-20-1 network: sigmoid, quadratic cost, seed 0."""
    from nnviz.core.network import Network
    from nnviz.ui.model.document import Document

    d = Document()
    d.set_network(Network([1, 20, 1], "sigmoid", "quadratic", seed=0), "1-20-1")
    return d


@pytest.fixture
def doc_2_8_8_1(qapp):
    """A document holding a fresh 2-8-8-1 network: tanh, tanh, sigmoid, cross-entropy cost,
    seed 0."""
    from nnviz.core.network import Network
    from nnviz.ui.model.document import Document

    d = Document()
    d.set_network(Network([2, 8, 8, 1], ["tanh", "tanh", "sigmoid"], "cross-entropy", seed=0))
    return d
