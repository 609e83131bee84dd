"""The one set of super/subscripts, parameter names and number formats (nnviz.core.notation).

Every expected text here is what the screen and the exported files showed before the copies
were gathered into one module; the formats differ from one another on purpose."""

import math

import numpy as np
import pytest

from nnviz.core.notation import (
    SUB_CHARS,
    SUB_PLAIN,
    SUP_CHARS,
    SUP_PLAIN,
    fmt,
    fmt_pair,
    format_number,
    format_plain,
    format_steepness,
    format_value,
    parameter_name,
    significant,
    sub,
    sup,
    symbol,
    weight_name,
)

NAN, INF = float("nan"), float("inf")


# -- the tables ------------------------------------------------------------------------------

def test_tables_pair_each_character_with_one_script_form():
    assert len(SUP_PLAIN) == len(SUP_CHARS) == len(set(SUP_CHARS))
    assert len(SUB_PLAIN) == len(SUB_CHARS) == len(set(SUB_CHARS))
    assert not set(SUP_CHARS) & set(SUB_CHARS)
    assert sup(SUP_PLAIN) == SUP_CHARS
    assert sub(SUB_PLAIN) == SUB_CHARS


def test_sup():
    assert sup("0123456789") == "⁰¹²³⁴⁵⁶⁷⁸⁹"
    assert sup(2) == "²"
    assert sup(10) == "¹⁰"
    assert sup(-5) == "⁻⁵"
    assert sup("(l+1)") == "⁽ˡ⁺¹⁾"
    assert sup("L") == "ᴸ" and sup("z") == "ᶻ"
    assert sup("x") == "x"  # no superscript form: kept
    assert sup(np.int64(3)) == "³"


def test_sub():
    assert sub("0123456789") == "₀₁₂₃₄₅₆₇₈₉"
    assert sub(1, 0) == "₁₀"
    assert sub(7) == "₇"
    assert sub(12) == "₁₂"
    assert sub(12, 3) == "₁₂,₃"
    assert sub(3, 12) == "₃,₁₂"
    assert sub(12, 345) == "₁₂,₃₄₅"
    assert sub("j", "k") == "ⱼₖ"
    assert sub("i") == "ᵢ"
    assert sub(1, "k") == "₁ₖ" and sub(12, "k") == "₁₂,ₖ"
    assert sub("12,3") == "₁₂,₃"  # a ready-made index: the comma is kept
    assert sub(-1) == "₋₁" and sub("+") == "₊"
    assert sub() == ""


# -- names -----------------------------------------------------------------------------------

def test_symbol():
    assert symbol("w", 2, 1, 0) == "w²₁₀"
    assert symbol("w", 1, 12, 345) == "w¹₁₂,₃₄₅"
    assert symbol("a", 0, 3) == "a⁰₃"
    assert symbol("z", 10, "k") == "z¹⁰ₖ"
    assert symbol("y", None, 1) == "y₁"
    assert symbol("E") == "E"
    assert symbol("w", "l", "j", "k") == "wˡⱼₖ"


def test_weight_name():
    assert weight_name(2, 3, 1) == "w²₃₁"
    assert weight_name(1, 0, 0) == "w¹₀₀"
    assert weight_name(3, 0, kind="b") == "b³₀"
    assert weight_name(1, 0, kind="b") == "b¹₀"
    assert weight_name(2, 1, kind="δ") == "δ²₁"
    assert weight_name(0, 5, kind="a") == "a⁰₅"
    assert weight_name(2, 1, kind="z") == "z²₁"
    assert weight_name(10, 1, 2) == "w¹⁰₁₂"  # a two-digit layer is a superscript: no comma


@pytest.mark.parametrize("j,k,text", [
    (12, 3, "w¹₁₂,₃"), (3, 12, "w¹₃,₁₂"), (10, 10, "w¹₁₀,₁₀"), (9, 9, "w¹₉₉"),
    (0, 783, "w¹₀,₇₈₃"), (99, None, "w¹₉₉"), (100, None, "w¹₁₀₀"),
])
def test_weight_name_two_digit_indices(j, k, text):
    assert weight_name(1, j, k) == text


def test_weight_name_keeps_the_rule_of_the_undo_entries():
    """A comma exactly when j or k has two or more digits, for every pair up to 120."""
    digits = "₀₁₂₃₄₅₆₇₈₉"

    def by_the_rule(layer, j, k):
        index = f"{j}{k}" if j < 10 and k < 10 else f"{j},{k}"
        return f"w{sup(layer)}" + "".join(digits[int(c)] if c.isdigit() else c for c in index)

    for j in range(121):
        for k in (0, 5, 9, 10, 11, 99, 100, 120):
            assert weight_name(2, j, k) == by_the_rule(2, j, k)
    assert weight_name(np.int64(2), np.int64(11), np.int64(3)) == "w²₁₁,₃"


def test_parameter_name():
    assert parameter_name("w", 2, 1, 0) == "w^2_10"
    assert parameter_name("b", 2, 1) == "b^2_1"
    assert parameter_name("w", 1, 12, 345) == "w^1_12,345"
    assert parameter_name("w", 1, 3, 12) == "w^1_3,12"
    assert parameter_name("w", 1, 9, 9) == "w^1_99"
    assert parameter_name("b", 1, 12) == "b^1_12"


# -- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value,text", [
    (0.731058, "0.7311"), (-0.731058, "−0.7311"), (-10, "−10"), (20.0, "20"), (1, "1"),
    (0, "0"), (-0.0, "0"), (0.5, "0.5"), (0.00099, "0.00099"),
    (4.54e-05, "4.54×10⁻⁵"), (-4.54e-05, "−4.54×10⁻⁵"), (1.5e-12, "1.5×10⁻¹²"),
    (12345, "1.234×10⁴"), (-12345, "−1.234×10⁴"), (6.02e23, "6.02×10²³"), (1e4, "1×10⁴"),
    (9999.4, "9999.4"), (1234.5, "1234.5"), (123.456, "123.5"),
    (0.9999546, "0.99995"), (1.00004, "1.00004"), (-0.99999, "−0.99999"),
    (INF, "∞"), (-INF, "−∞"), (NAN, "NaN"),
    (np.float32(-0.3), "−0.3"), (np.float64(0.25), "0.25"),
])
def test_fmt(value, text):
    assert fmt(value) == text


def test_fmt_digits():
    assert fmt(0.731058, 6) == "0.731058"
    assert fmt(1 / 3, 8) == "0.33333333"
    assert fmt(123456789) == "1.235×10⁸"


def test_significant():
    assert significant(-0.731058, 4) == ("-0.7311", None)  # ASCII: the callers choose the sign
    assert significant(4.54e-05, 4) == ("4.54", -5)
    assert significant(-2.0676e-09, 4) == ("-2.068", -9)
    assert significant(1234567, 4) == ("1.235", 6)
    assert significant(0.9999546, 4) == ("0.99995", None)
    assert significant(0.9999999999, 4) == ("1", None)  # 8 digits at most
    assert significant(20.0, 4) == ("20", None)


def test_fmt_pair():
    assert fmt_pair(0.5, 0.50001) == ("0.5", "0.50001")
    assert fmt_pair(1, 1 + 1e-11) == ("1", "1.00000000001")
    assert fmt_pair(-0.12345678, -0.12345679) == ("−0.12345678", "−0.12345679")
    assert fmt_pair(2, 2) == ("2", "2")
    assert fmt_pair(1, 1 + 1e-14) == ("1", "1")  # 12 digits at most
    assert fmt_pair(0.25, 0.75) == ("0.25", "0.75")


@pytest.mark.parametrize("value,text", [
    (0.731058, "0.731"), (-0.731058, "−0.731"), (-2, "−2"), (2.0, "2"), (0.5, "0.5"),
    (0, "0"), (-0.0, "0"), (0.001, "0.001"), (-0.001, "−0.001"),
    (0.00099, "9.90e−04"), (4.54e-05, "4.54e−05"), (-4.54e-05, "−4.54e−05"),
    (1.5e-12, "1.50e−12"), (12345, "1.23e+04"), (-12345, "−1.23e+04"), (1e4, "1.00e+04"),
    (1234.5, "1.23e+03"), (9999.4, "1e+04"), (6.02e23, "6.02e+23"),
    (0.9999546, "1.00"), (-0.99999, "−1.00"),  # σ never reaches 1: not "1"
    (123.456, "123."), (99.96, "100."),  # the alternate form keeps its point
    (NAN, "nan"), (INF, "inf"), (-INF, "-inf"),  # as Python writes them, ASCII minus
    (np.float32(0.1), "0.1"), (np.float32(-0.3), "−0.3"),
])
def test_format_number(value, text):
    assert format_number(value) == text


def test_format_number_digits():
    assert format_number(0.731058, 2) == "0.73"
    assert format_number(-0.00012345, 2) == "−1.2e−04"
    assert format_number(0.5, 1) == "0.5"
    assert format_number(123456, 1) == "1.2e+05"  # at least one digit after the point


@pytest.mark.parametrize("value,text", [
    (0.731058, "0.7311"), (-0.25, "−0.25"), (-10, "−10"), (0, "0"), (-0.0, "−0"),
    (0.9999546, "1"), (1234.5, "1234"), (9999.5, "1e+04"), (-12345, "−1.234e+04"),
    (4.54e-05, "4.54e−05"), (1.5e-12, "1.5e−12"), (6.02e23, "6.02e+23"),
    (NAN, "nan"), (INF, "inf"), (-INF, "−inf"), (np.float32(-0.3), "−0.3"),
])
def test_format_value(value, text):
    assert format_value(value) == text


@pytest.mark.parametrize("value,text", [
    (0.731058, "0.731"), (-0.731058, "-0.731"), (0.0123456, "0.0123"), (0, "0"),
    (-0.0, "-0"), (123.456, "123"), (9999.4, "1e+04"), (-1234567, "-1.23e+06"),
    (4.54e-05, "4.54e-05"), (0.9999546, "1"), (NAN, "nan"), (-INF, "-inf"),
])
def test_format_plain(value, text):
    assert format_plain(value) == text


@pytest.mark.parametrize("value,text", [
    (12.345, "12.3"), (-0.731058, "-0.731"), (0, "0"), (99.94, "99.9"), (99.96, "100"),
    (100, "100"), (100.4, "100"), (250.5, "250"), (1234.56, "1235"), (1e5, "100000"),
    (-250.5, "-250"), (INF, "inf"),
])
def test_format_steepness(value, text):
    assert format_steepness(value) == text


def test_formats_agree_where_they_should():
    """Ordinary numbers read the same in the 4-digit formats; the minus sign is a real one
    everywhere except in Python's own format."""
    for v in (0.731058, -0.25, -10, 3.5, -0.0625):
        assert fmt(v) == format_value(v)
        assert format_plain(v).replace("-", "−") == format_number(v)
    assert all("-" not in f(-0.5) for f in (fmt, format_number, format_value))
    assert math.isnan(float(format_plain(NAN)))
