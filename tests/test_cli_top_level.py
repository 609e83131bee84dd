"""The app's options given before a command: honoured where the meaning is clear, else refused
with one line naming the option and where it belongs (exit 2), never silently ignored."""

import pytest

from nnviz.cli import build_parser, main
from nnviz.cli.gui import resolve_top_level


def _error(capsys, argv):
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    err = capsys.readouterr().err
    assert code == 2, err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


@pytest.mark.parametrize("argv,flag,command", [
    (["--screenshot", "x.png", "train", "--epochs", "1"], "--screenshot", "train"),
    (["--presentation", "train"], "--presentation", "train"),
    (["--open", "net.npz", "info", "net.npz"], "--open", "info"),
    (["--size", "800x600", "step", "--preset", "xor"], "--size", "step"),
    (["--stage", "3", "step", "--preset", "xor"], "--stage", "step"),
    (["--theme", "dark", "bench", "draw"], "--theme", "bench"),
])
def test_an_app_option_before_another_command_is_refused(argv, flag, command, capsys):
    err = _error(capsys, argv)
    assert err.startswith(f"nnviz: error: {flag} is an option of the app (nnviz {flag} …), "
                          f"not of nnviz {command}: give nnviz {command}'s options after")


def test_open_before_step_clashes_with_steps_own_preset(capsys):
    err = _error(capsys, ["--open", "net.npz", "step", "--preset", "xor"])
    assert "--open before 'step' and step's own --open or --preset: give one" in err
    err = _error(capsys, ["--preset", "xor", "train", "--preset", "chain"])
    assert "--preset before 'train' and train's own --preset: give one" in err


def test_a_preset_before_landscape_or_train_is_theirs(capsys):
    """``nnviz --preset chain landscape …`` works on the chain, as ``landscape --preset chain``
    does (and ``train`` trains the preset given before it)."""
    argv = ["landscape", "--param", "w:1:0:0", "--points", "5", "--json"]
    assert main(["--preset", "chain", *argv]) == 0
    before = capsys.readouterr().out
    assert main([*argv, "--preset", "chain"]) == 0
    assert capsys.readouterr().out == before
    args = build_parser().parse_args(["--preset", "mnist-30", "train", "--epochs", "1"])
    from nnviz.cli.gui import resolve_top_level

    resolve_top_level(args)
    assert args.preset == "mnist-30"


def test_app_options_before_gui_are_the_apps():
    args = build_parser().parse_args(["--preset", "xor", "--stage", "2", "gui", "--size",
                                      "800x600"])
    resolve_top_level(args)
    assert (args.preset, args.stage, args.size) == ("xor", 2, (800, 600))
    args = build_parser().parse_args(["--preset", "xor", "gui", "--preset", "chain"])
    with pytest.raises(Exception, match="--preset is given twice"):
        resolve_top_level(args)


def test_without_a_command_the_options_are_the_apps():
    args = build_parser().parse_args(["--open", "net.npz", "--presentation"])
    resolve_top_level(args)
    assert args.command is None and args.open_path == "net.npz" and args.presentation
    assert args.preset is None and args.screenshot is None
