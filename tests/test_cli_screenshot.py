"""`--screenshot PATH` writes the format the name says (PNG, JPEG: the window; SVG: the graph)
and refuses another suffix with one line and exit 2, before any window."""

import pytest

from nnviz.cli import main


@pytest.mark.parametrize("name,magic", [
    ("shot.png", b"\x89PNG\r\n\x1a\n"),
    ("shot.jpg", b"\xff\xd8\xff"),
    ("shot.JPEG", b"\xff\xd8\xff"),
])
def test_the_window_in_the_named_format(name, magic, tmp_path, qapp, capsys):
    path = tmp_path / name
    assert main(["--preset", "xor", "--screenshot", str(path), "--size", "800x600"]) == 0
    data = path.read_bytes()
    assert data.startswith(magic)
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert (image.width(), image.height()) == (800, 600)


def test_svg_is_the_graph_as_vectors(tmp_path, qapp):
    path = tmp_path / "graph.svg"
    assert main(["--preset", "xor", "--stage", "2", "--screenshot", str(path),
                 "--size", "1600x900"]) == 0
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<?xml") and "<svg " in text and "<title>nnviz graph</title>" in text
    assert "<path" in text or "<polyline" in text  # edges drawn as vectors
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    assert renderer.isValid() and renderer.defaultSize().width() > 200


@pytest.mark.parametrize("name", ["shot.gif", "shot.bmp", "shot"])
def test_another_suffix_is_refused_before_any_window(name, tmp_path, capsys):
    path = tmp_path / name
    assert main(["--preset", "xor", "--screenshot", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nnviz: error: --screenshot {path}: the name must end in .png, "
                          ".jpg, .jpeg or .svg")
    assert len(err.strip().splitlines()) == 1
    assert not path.exists()
