import pytest
from PySide6.QtCore import QSettings


@pytest.fixture
def settings(tmp_path):
    """Settings in a temporary file, so tests never touch the user's."""
    return QSettings(str(tmp_path / "nnviz.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    from nnviz.ui.main_window import MainWindow

    win = MainWindow(settings=settings, preset="xor", load_data=False)
    win.resize(1200, 800)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win
