"""`nnviz screenshots DIR`: README's pictures made by the real window, end to end."""

from PySide6.QtGui import QImage

from nnviz.ui.app.screenshots import SHOTS, write_screenshots


def test_every_shot_is_written_at_its_size(qapp, tmp_path):
    told = []
    paths = write_screenshots(tmp_path / "shots", (1366, 768), told.append)
    assert [p.name for p in paths] == [name for name, _ in SHOTS]
    assert told == [str(p) for p in paths]
    for path in paths:
        image = QImage(str(path))
        want = (1920, 1080) if path.name == "presentation.png" else (1366, 768)
        assert (image.width(), image.height()) == want, path.name
        # a real picture: many colours, not a blank or a single-colour frame
        colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
                   for y in range(0, image.height(), 29)}
        assert len(colours) > 20, path.name
