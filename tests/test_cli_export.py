"""`--export-graph PATH` and `--export-walk DIR`: the graph alone as a slide (PNG) or vectors
(SVG), and one slide per stage, from the command line, as File › Export writes them."""

import pytest

from nnviz.cli import main


def _size(path):
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull()
    return image.width(), image.height()


def test_the_graph_as_a_slide_of_the_given_size(tmp_path, qapp, capsys):
    path = tmp_path / "graph.png"
    assert main(["--preset", "running-example", "--stage", "5", "--export-graph", str(path),
                 "--slide-size", "1280x720"]) == 0
    assert path.read_bytes().startswith(b"\x89PNG")
    assert _size(path) == (1280, 720)
    assert capsys.readouterr().out.splitlines() == [str(path)]


def test_default_slide_is_1920x1080(tmp_path, qapp):
    path = tmp_path / "graph.png"
    assert main(["--preset", "xor", "--export-graph", str(path)]) == 0
    assert _size(path) == (1920, 1080)


def test_the_equation_is_under_the_graph_unless_left_out(tmp_path, qapp):
    from PySide6.QtGui import QImage

    with_eq, without = tmp_path / "a.png", tmp_path / "b.png"
    for path, extra in ((with_eq, []), (without, ["--no-equation"])):
        assert main(["--preset", "running-example", "--stage", "5", "--export-graph",
                     str(path), "--slide-size", "800x450", *extra]) == 0
    a, b = QImage(str(with_eq)), QImage(str(without))
    # The bottom fifth holds the equation's text in one and only background in the other.
    bottom = range(int(450 * 0.85), 450)
    inked = [sum(QImage.pixelColor(img, x, y).lightness() < 128
                 for x in range(0, 800, 2) for y in bottom) for img in (a, b)]
    assert inked[0] > 50 and inked[1] == 0


def test_svg_is_the_graph_as_vectors(tmp_path, qapp):
    path = tmp_path / "graph.svg"
    assert main(["--preset", "xor", "--export-graph", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    assert "<svg " in text and ("<path" in text or "<polyline" in text)


def test_one_slide_per_stage(tmp_path, qapp, capsys):
    folder = tmp_path / "walk"
    assert main(["--preset", "running-example", "--export-walk", str(folder),
                 "--slide-size", "640x360"]) == 0
    from nnviz.core.presets import PRESETS
    from nnviz.core.stepper import Walk

    preset = PRESETS["running-example"]
    n = len(Walk(preset.build(), preset.example, preset.target).stages)
    names = sorted(p.name for p in folder.iterdir())
    assert names == [f"stage-{i:02d}.png" for i in range(1, n + 1)]
    assert all(_size(folder / name) == (640, 360) for name in names)
    assert len(capsys.readouterr().out.splitlines()) == n


@pytest.mark.parametrize("argv,message", [
    (["--export-graph", "g.jpg"], "--export-graph g.jpg: the name must end in .png"),
    (["--slide-size", "800x600"], "--slide-size and --no-equation shape the slides"),
    (["--no-equation"], "--slide-size and --no-equation shape the slides"),
])
def test_refused_before_any_window(argv, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--preset", "xor", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"nnviz: error: {message}") and len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_is_one_line_exit_1(tmp_path, qapp, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["--preset", "xor", "--export-walk", str(blocker / "walk")]) == 1
    err = capsys.readouterr().err
    assert err.startswith("nnviz: error: Could not create the folder")
