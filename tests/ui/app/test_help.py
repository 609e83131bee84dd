"""Help › Keys lists the window's keys from its own menus, the mouse and presentation mode;
Help › Guide shows the README's guide, or a short one of its own without a README."""

from nnviz.ui.app import help as help_module
from nnviz.ui.app.overlays import KEYS as PRESENTATION_KEYS


def test_the_help_menu_has_guide_keys_and_about(window):
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    texts = [a.text() for a in help_menu.actions() if not a.isSeparator()]
    assert texts == ["&Guide", "&Keys", "&About nnviz"]


def test_keys_lists_every_menu_key_the_mouse_and_presentation_mode(window):
    window.doc.set_bias(1, 0, 0.5)  # Edit › Undo now names its step: the list does not
    window.act_keys.trigger()
    dialog = window.keys_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Keys"
    text = dialog.text()
    rows = dict((v, k) for k, v in help_module.menu_keys(window))
    assert rows["File › New network…"] == window.act_new.shortcut().toString()
    assert rows["Edit › Undo"] == "Ctrl+Z" and "View › Show numbers" in rows
    for action in (window.act_new, window.act_fit, window.act_numbers, window.act_guide):
        keys = action.shortcut().toString()
        assert keys and keys in text
    assert "View › Show numbers" in text and "Ctrl+Shift+N" in text
    assert "nudge its weight or bias" in text  # the mouse
    for keys, what in PRESENTATION_KEYS:
        assert " ".join(keys.split()) in text and what in text
    window.act_keys.trigger()  # again: the same window, brought forward
    assert window.keys_dialog is dialog


def test_the_guide_is_the_readmes_guide_to_the_window(window):
    window.act_guide.trigger()
    dialog = window.guide_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "Guide"
    text = dialog.text()
    assert "Tinkering by hand" in text and "Presentation mode" in text
    assert "Train from the command line" in text
    assert "Benchmarks" not in text  # the guide, not the whole README


def test_without_a_readme_the_guide_is_a_short_text_of_its_own(monkeypatch):
    assert help_module.guide_markdown("no such sections") == help_module.SHORT_GUIDE
    monkeypatch.setattr(help_module, "readme_text", lambda: None)
    assert help_module.guide_markdown() == help_module.SHORT_GUIDE
    assert "Help › Keys" in help_module.SHORT_GUIDE
