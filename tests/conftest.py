"""Test set-up: Qt renders offscreen (set before any QApplication exists); fixtures shared by
all tests."""

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(scope="session")
def mnist():
    """The bundled MNIST set, loaded once per session. Read-only: its data sets are frozen
    and their arrays are not writeable, so no test can change it for the others."""
    from nnviz.data import load_mnist

    return load_mnist()
