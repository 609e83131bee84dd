"""The examples [ and ] step through: a network's own small data set (XOR's four rows) when it
has one, cycling, from wherever the current input is among them; the own data's target for an
input."""

import numpy as np
import pytest

from nnviz.data import toy
from nnviz.ui.model.document import Document

XOR_ROWS = [((0.0, 0.0), 0.0), ((0.0, 1.0), 1.0), ((1.0, 0.0), 1.0), ((1.0, 1.0), 0.0)]


@pytest.fixture
def xor_doc(qapp):
    d = Document()
    d.load_preset("xor")
    return d


def shown(doc):
    return tuple(doc.x.tolist()), float(doc.target[0])


def test_brackets_cycle_through_the_networks_own_data(xor_doc):
    """Regression: [ and ] did nothing on XOR (the examples were only ever MNIST's)."""
    doc = xor_doc
    assert doc.examples is doc.preset_dataset and len(doc.examples) == 4
    assert shown(doc) == XOR_ROWS[2]  # the preset's example, x = (1, 0)
    seen = []
    for _ in range(4):
        doc.step_example(1)
        seen.append(shown(doc))
    assert seen == [XOR_ROWS[3], XOR_ROWS[0], XOR_ROWS[1], XOR_ROWS[2]]
    doc.step_example(-1)
    assert shown(doc) == XOR_ROWS[1]


def test_brackets_step_on_from_an_input_typed_as_one_of_the_rows(xor_doc):
    doc = xor_doc
    doc.set_input([1.0, 1.0], "x = (1, 1)", [0.0])
    doc.step_example(1)
    assert shown(doc) == XOR_ROWS[0]
    doc.set_input([0.3, 0.3], "x = (0.3, 0.3)")  # not a row: on from the last one shown
    doc.step_example(1)
    assert shown(doc) == XOR_ROWS[1]


def test_the_own_data_is_only_the_examples_of_its_own_network(xor_doc):
    doc = xor_doc
    doc.load_preset("concert")  # no data of its own
    assert doc.examples is None
    doc.load_preset("2-3-1")  # two inputs like XOR, and its own points
    assert doc.examples is doc.preset_dataset and "XOR" not in doc.examples.name
    new = toy.logic_gate("and")
    doc.set_dataset(new)  # the own data replaced (the playground): stepped through too
    assert doc.examples is new


def test_own_target_is_the_data_sets_for_its_points_only(xor_doc):
    for x, y in XOR_ROWS:
        np.testing.assert_array_equal(xor_doc.own_target(x), [y])
    assert xor_doc.own_target([0.5, 0.5]) is None
    xor_doc.load_preset("concert")  # no data of its own
    assert xor_doc.own_target([0.0, 1.0, 1.0]) is None
