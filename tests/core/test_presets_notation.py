"""One notation in every preset, the articles' own: y the target, a^L (a^l) the output, η the
learning rate. Where an article writes otherwise, the caption says so in parentheses."""

import re

import pytest

from nnviz.core import presets

ALL = [presets.get_preset(k) for k in presets.PRESETS]


def without_the_articles_asides(text: str) -> str:
    """``text`` without the parentheses (nested ones too) that mention "article"."""
    out, stack = [], []
    for c in text:
        if c == "(":
            stack.append(len(out))
        out.append(c)
        if c == ")" and stack:
            start = stack.pop()
            if "article" in "".join(out[start:]):
                del out[start:]
    return "".join(out)


@pytest.mark.parametrize("p", ALL, ids=lambda p: p.key)
def test_outputs_are_never_called_y(p):
    for label in p.output_labels or ():
        assert not re.match(r"^y\b", label) and "ŷ" not in label, label


@pytest.mark.parametrize("p", ALL, ids=lambda p: p.key)
def test_captions_use_eta_and_y_for_the_target(p):
    # the article's own symbols only in a parenthesis that names them as the article's
    text = without_the_articles_asides(p.caption)
    assert "learning rate ε" not in text and "ε" not in text
    assert "ŷ" not in text and "i(x)" not in text and "f(x) − i(x)" not in text
    assert not re.search(r"→ y = a|\by = σ|outputs\s+y_", text)
