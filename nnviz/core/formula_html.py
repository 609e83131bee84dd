"""Formula lines as Qt rich text: the equations panel's plain Unicode lines with real
<sup>/<sub> indices and the remark after a formula in grey.

    line_html("δ²₁ = 0.5   (BP1)")
    # 'δ<sup>2</sup><sub>1</sub> = 0.5&nbsp;&nbsp; <span style="color:#666666">(BP1)</span>'

Only the subset a Qt label understands (<b>, <i>, <sup>, <sub>, <br>, <p>, <span style=…>);
every piece of text is HTML-escaped. The standard library only; never Qt.
"""

from __future__ import annotations

import html as _html

from .notation import SUB_CHARS, SUB_PLAIN, SUP_CHARS, SUP_PLAIN

#: Colour of the remark after a formula ("   (BP1)", "   (σ is the sigmoid …)").
NOTE_COLOUR = "#666666"

# Back to ordinary characters inside <sup>/<sub> (with a real minus sign).
_UNSUP = {ord(c): p for c, p in zip(SUP_CHARS, SUP_PLAIN.replace("-", "−"))}
_UNSUB = {ord(c): p for c, p in zip(SUB_CHARS, SUB_PLAIN.replace("-", "−"))}


def explanation_html(heading: str, lines, sentence: str) -> str:
    """A bold heading, the formula lines (``line_html``) and the sentence in italics."""
    body = "<br>".join(line_html(line) for line in lines)
    return (f"<p><b>{escape(heading)}</b></p>"
            f"<p>{body}</p>"
            f"<p><i>{escape(sentence)}</i></p>")


def escape(text: str) -> str:
    """``text`` with & < > escaped (quotes are kept: the text never goes into an attribute)."""
    return _html.escape(text, quote=False)


def line_html(line: str) -> str:
    """One formula line as rich text: leading spaces kept, the remark after three spaces in
    grey, super/subscript runs as tags."""
    stripped = line.lstrip(" ")
    indent = "&nbsp;" * (len(line) - len(stripped))
    formula, gap, note = stripped.partition("   ")
    if not gap:
        return indent + scripts_html(formula)
    return (f"{indent}{scripts_html(formula)}&nbsp;&nbsp; <span style=\"color:{NOTE_COLOUR}\">"
            f"{scripts_html(note.lstrip(' '))}</span>")


def scripts_html(text: str) -> str:
    """Escaped text with runs of Unicode super/subscripts turned into <sup>/<sub>:
    scripts_html("w²₁₂,₃") == "w<sup>2</sup><sub>12,3</sub>"."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in SUP_CHARS:
            j = i
            while j < n and text[j] in SUP_CHARS:
                j += 1
            out.append(f"<sup>{escape(text[i:j].translate(_UNSUP))}</sup>")
        elif c in SUB_CHARS:
            j = i
            # A comma between two subscript indices belongs to the subscript (w¹₁₂,₃).
            while j < n and (text[j] in SUB_CHARS or (
                    text[j] == "," and j + 1 < n and text[j + 1] in SUB_CHARS)):
                j += 1
            out.append(f"<sub>{escape(text[i:j].translate(_UNSUB))}</sub>")
        else:
            j = i
            while j < n and text[j] not in SUP_CHARS and text[j] not in SUB_CHARS:
                j += 1
            out.append(escape(text[i:j]))
        i = j
    return "".join(out)
