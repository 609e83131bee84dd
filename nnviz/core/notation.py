"""The articles' notation and nnviz's number formats, in one place.

Super- and subscripts and the names of parameters (w^l_jk joins neuron k of layer l−1 to neuron
j of layer l; indices of more than one digit are separated by a comma):

    sup(2) == "²"                           sub(1, 0) == "₁₀", sub(12, 3) == "₁₂,₃"
    symbol("δ", 3, 0) == "δ³₀"              symbol("z", 2, "k") == "z²ₖ"
    weight_name(2, 3, 1) == "w²₃₁"          weight_name(1, 0, kind="b") == "b¹₀"
    parameter_name("w", 1, 12, 3) == "w^1_12,3"     (ASCII, for CSV files)

Numbers: four formats, each where it has always been used. They differ on purpose (digits,
minus sign, exponents, −0, NaN and ∞), and each keeps its output exactly:

                    0.9999546   -4.54e-05    12345       -0.0   nan    -inf
    fmt             0.99995     −4.54×10⁻⁵   1.234×10⁴   0      NaN    −∞      equations, step
    format_number   1.00        −4.54e−05    1.23e+04    0      nan    -inf    graph, inspector
    format_value    1           −4.54e−05    1.234e+04   −0     nan    −inf    undo entries
    format_plain    1           -4.54e-05    1.23e+04    -0     nan    -inf    approximation

(``fmt_pair`` is ``fmt`` with the digits to tell two numbers apart, ``significant`` its
mantissa and exponent, also used for LaTeX; ``format_steepness`` is ``format_plain`` with whole
numbers from 100 on.)

numpy and the standard library only; never Qt.
"""

from __future__ import annotations

import math

import numpy as np

# -- super- and subscripts ------------------------------------------------------------------

#: The characters ``sup`` raises, and what they become.
SUP_PLAIN = "0123456789-+()Llz"
SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ᴸˡᶻ"
#: The characters ``sub`` lowers, and what they become.
SUB_PLAIN = "0123456789-+ijk"
SUB_CHARS = "₀₁₂₃₄₅₆₇₈₉₋₊ᵢⱼₖ"

_SUP = str.maketrans(SUP_PLAIN, SUP_CHARS)
_SUB = str.maketrans(SUB_PLAIN, SUB_CHARS)


def sup(text) -> str:
    """Superscript digits (and − + ( ) L l z); other characters are kept as they are.

    sup(2) == "²", sup(10) == "¹⁰", sup("-1") == "⁻¹", sup("L") == "ᴸ".
    """
    return str(text).translate(_SUP)


def sub(*indices) -> str:
    """Subscript indices, with a comma between them when any has several characters.

    sub(1, 0) == "₁₀", sub(12, 3) == "₁₂,₃", sub(7) == "₇", sub("j", "k") == "ⱼₖ".
    Characters without a subscript form are kept: sub("12,3") == "₁₂,₃".
    """
    parts = [str(i).translate(_SUB) for i in indices]
    return _separator(indices).join(parts)


def _separator(indices) -> str:
    """A comma when any index is written with more than one character, else nothing."""
    return "," if any(len(str(i)) > 1 for i in indices) else ""


def symbol(name: str, layer=None, *indices) -> str:
    """A symbol in the articles' notation: the name, the layer raised, the indices lowered.

    symbol("w", 2, 1, 0) == "w²₁₀", symbol("w", 1, 12, 345) == "w¹₁₂,₃₄₅",
    symbol("a", 0, 3) == "a⁰₃", symbol("y", None, 1) == "y₁", symbol("w", 2, 1, "k") == "w²₁ₖ".
    """
    return name + ("" if layer is None else sup(layer)) + sub(*indices)


def weight_name(layer: int, j: int, k: int | None = None, kind: str = "w") -> str:
    """The article's name of a parameter (or of another quantity of neuron j of ``layer``).

    weight_name(2, 3, 1) == "w²₃₁" (w^2_31), weight_name(1, 12, 3) == "w¹₁₂,₃",
    weight_name(1, 0, kind="b") == "b¹₀", weight_name(2, 1, kind="δ") == "δ²₁".
    """
    return symbol(kind, layer, j) if k is None else symbol(kind, layer, j, k)


def parameter_name(kind: str, l: int, j: int, k: int | None = None) -> str:
    """ASCII name of a weight or bias, for CSV files and other plain text.

    parameter_name("w", 2, 1, 0) == "w^2_10", parameter_name("b", 2, 1) == "b^2_1";
    indices of several digits get commas: parameter_name("w", 1, 12, 345) == "w^1_12,345".
    """
    indices = [j] if k is None else [j, k]
    return f"{kind}^{l}_{_separator(indices).join(str(i) for i in indices)}"


# -- numbers --------------------------------------------------------------------------------

def fmt(value, digits: int = 4) -> str:
    """A number with 4 significant digits, a real minus sign and ×10ⁿ for tiny or huge values.

    fmt(0.731058) == "0.7311", fmt(-10) == "−10", fmt(4.54e-05) == "4.54×10⁻⁵", fmt(-0.0) == "0".
    A value that is not whole but would round to a whole number gets more digits (up to 8), so
    that a saturated σ = 0.9999546 reads "0.99995", not "1": fmt(0.9999546) == "0.99995".
    fmt(inf) == "∞", fmt(-inf) == "−∞", fmt(nan) == "NaN".
    """
    v = float(value)
    if v == 0:
        return "0"
    if not math.isfinite(v):
        return "∞" if v > 0 else ("−∞" if v < 0 else "NaN")
    mantissa, exponent = significant(v, digits)
    if exponent is not None:
        mantissa = f"{mantissa}×10{sup(exponent)}"
    return mantissa.replace("-", "−")


def significant(v: float, digits: int) -> tuple[str, int | None]:
    """(mantissa, power of ten or None) of finite v to ``digits`` significant digits, more (up
    to 8) when a value that is not whole would otherwise read as a whole number.

    significant(-0.731058, 4) == ("-0.7311", None), significant(4.54e-05, 4) == ("4.54", -5),
    significant(0.9999546, 4) == ("0.99995", None).
    """
    text = f"{v:.{digits}g}"
    while digits < 8 and v != round(v) and "e" not in text and "." not in text:
        digits += 1
        text = f"{v:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return mantissa, int(exponent)
    return text, None


def fmt_pair(a, b) -> tuple[str, str]:
    """fmt of two numbers with enough digits (up to 12) to tell them apart if they differ.

    fmt_pair(0.5, 0.50001) == ("0.5", "0.50001"), fmt_pair(2, 2) == ("2", "2").
    """
    for digits in range(4, 13):
        ta, tb = fmt(a, digits), fmt(b, digits)
        if ta != tb or a == b:
            break
    return ta, tb


def format_number(v: float, digits: int = 3) -> str:
    """A compact number for the graph and the inspector: 3 significant digits, a real minus
    sign, and an exponent only outside 10⁻³ ≤ |v| < 10⁴ (and where Python's "g" uses one).

    format_number(0.731058) == "0.731", format_number(-2) == "−2",
    format_number(0.9999546) == "1.00" (not "1": σ never reaches 1),
    format_number(-4.54e-05) == "−4.54e−05", format_number(12345) == "1.23e+04",
    format_number(1234.5) == "1.23e+03", format_number(0.731058, 2) == "0.73",
    format_number(0) == format_number(-0.0) == "0",
    format_number(nan) == "nan", format_number(-inf) == "-inf" (as Python writes them).
    """
    if v == 0:
        return "0"
    if not np.isfinite(v):
        return str(v)
    a = abs(v)
    if 1e-3 <= a < 1e4:
        text = f"{v:.{digits}g}"
        if v != round(v) and "." not in text and "e" not in text:
            text = f"{v:#.{digits}g}"  # 0.99995 is "1.00", not "1": σ never reaches 1
    else:
        text = f"{v:.{max(digits - 1, 1)}e}"
    return text.replace("-", "−")


def format_value(v: float) -> str:
    """A value for an undo entry: up to 4 significant digits (Python's "g"), a real minus sign.

    format_value(-0.25) == "−0.25", format_value(0.9999546) == "1",
    format_value(4.54e-05) == "4.54e−05", format_value(-0.0) == "−0",
    format_value(-inf) == "−inf", format_value(nan) == "nan".
    """
    return f"{v:.4g}".replace("-", "−")


def format_plain(v: float, digits: int = 3) -> str:
    """Python's own "g" format with 3 significant digits (ASCII minus sign, e-notation).

    format_plain(0.0123456) == "0.0123", format_plain(-1234567) == "-1.23e+06",
    format_plain(-0.0) == "-0", format_plain(nan) == "nan".
    """
    return f"{v:.{digits}g}"


def format_steepness(w: float) -> str:
    """A steepness (a weight of the approximation construction): whole from 100 on, else
    ``format_plain``.

    format_steepness(1234.56) == "1235", format_steepness(12.345) == "12.3",
    format_steepness(100) == "100", format_steepness(99.96) == "100".
    """
    return f"{w:.0f}" if w >= 100 else format_plain(w)
