"""Several steps of gradient descent in a row: "next" at the update stage walks again from the
updated network, each step one undo step; η up and down its ladder; the gradients stage shows
∂E/∂w on the edges unless the user chose what they show."""

import numpy as np
import pytest

from nnviz.ui.model.walking import ETA_LADDER, ETA_RANGE
from tests.helpers import assert_same, params


def test_next_at_the_update_starts_the_next_step_from_the_new_weights(doc):
    before = params(doc)
    doc.start_stepping()
    errors = []
    for n in range(1, 4):
        doc.walk_go(10 ** 6)
        walk = doc.walk
        assert walk.updated
        errors.append((walk.E_before, walk.E_after))
        doc.walk_step(1)  # on from the update: a new walk, same input and target
        assert doc.walk is not walk and doc.walk.index == 0
        np.testing.assert_array_equal(doc.walk.x, walk.x)
        np.testing.assert_array_equal(doc.walk.y, walk.y)
        assert_same(params(doc), walk.params_after)  # the step stays taken...
        assert_same(doc.walk.params_before, walk.params_after)  # ...and the walk goes on from it
        assert doc.undo_stack.count() == n  # ...each one undo step
    for (e0, e1), (f0, _) in zip(errors, errors[1:]):
        assert e1 < e0 and f0 == pytest.approx(e1)  # E falls, step after step
    while doc.undo_stack.canUndo():
        doc.undo()
    assert_same(params(doc), before)


def test_back_from_the_update_still_takes_the_step_back(doc):
    before = params(doc)
    doc.start_stepping()
    doc.walk_go(10 ** 6)
    doc.walk_step(-1)
    assert_same(params(doc), before)
    assert not doc.undo_stack.canUndo()


def test_eta_climbs_its_ladder_and_redoes_the_step_taken(doc):
    assert doc.step_eta == 0.5
    assert doc.nudge_step_eta(1) == 1.0 and doc.step_eta == 1.0
    assert doc.nudge_step_eta(-2) == 0.2
    doc.start_stepping()
    doc.walk_go(10 ** 6)
    assert doc.nudge_step_eta(1) == 0.5
    assert doc.walk.updated and doc.walk.eta == 0.5 and doc.undo_stack.count() == 1
    assert_same(params(doc), doc.walk.params_after)
    doc.set_step_eta(0.3)  # between two rungs: the next one up or down
    assert doc.nudge_step_eta(1) == 0.5
    doc.set_step_eta(0.3)
    assert doc.nudge_step_eta(-1) == 0.2
    doc.set_step_eta(ETA_RANGE[1])
    assert doc.nudge_step_eta(1) == ETA_RANGE[1] and ETA_LADDER[-1] == ETA_RANGE[1]
    doc.set_step_eta(ETA_RANGE[0])
    assert doc.nudge_step_eta(-1) == ETA_RANGE[0] and ETA_LADDER[0] == ETA_RANGE[0]


def test_an_eta_that_overflows_changes_nothing(doc):
    doc.start_stepping()
    doc.walk_go(10 ** 6)
    walk, stepped = doc.walk, params(doc)
    doc.walk.set_eta = lambda eta: (_ for _ in ()).throw(ValueError("too large"))
    with pytest.raises(ValueError):
        doc.nudge_step_eta(1)
    assert doc.step_eta == 0.5 and doc.walk is walk and walk.updated
    assert_same(params(doc), stepped)


def test_the_gradients_stage_shows_the_gradients_unless_the_user_chose(doc):
    doc.start_stepping()
    kinds = [s.kind for s in doc.walk.stages]
    shown = []
    for index in range(len(kinds)):
        doc.walk_go(index)
        shown.append(doc.shown_quantity)
    assert shown == ["grad" if k == "gradients" else "w" for k in kinds]
    doc.walk_go(kinds.index("gradients"))
    doc.set_edge_quantity("w")  # the user's choice stands
    assert doc.shown_quantity == "w"
    assert doc.cycle_edge_quantity() == "grad" and doc.shown_quantity == "grad"
    assert doc.cycle_edge_quantity() == "step" and doc.shown_quantity == "step"
    assert doc.cycle_edge_quantity() == "w"
    doc.walk_go(0)
    assert doc.cycle_edge_quantity() == "grad" and doc.shown_quantity == "w"  # not known yet
    doc.set_edge_quantity("auto")
    with pytest.raises(KeyError):
        doc.set_edge_quantity("delta")
