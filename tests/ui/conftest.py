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
