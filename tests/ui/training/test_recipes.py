"""A preset's training recipes in the Training dock: its article's settings on loading, the
fast modern ones a choice away, none for a network without recipes."""

from nnviz.core.recipes import MNIST_100, recipes_for


def _settings(panel):
    return (panel.eta.value(), panel.batch.value(), panel.epochs.value(), panel.l2.value(),
            panel.momentum.value(), panel.schedule.currentText())


def test_loading_a_preset_applies_its_articles_settings_and_offers_fast_ones(window):
    panel = window.training
    panel.schedule.setCurrentText("cosine")  # the user's own choice, before the preset
    panel.momentum.setValue(0.5)
    window.load_preset("mnist-100")
    assert not panel.recipe.isHidden()
    assert panel.recipe.currentText() == "Article's settings"
    assert _settings(panel) == (MNIST_100.eta, 10, 60, 5.0, 0.0, "constant")
    panel.choose_recipe("fast")
    fast = recipes_for("mnist-100").fast
    assert _settings(panel) == (fast.eta, fast.batch_size, fast.epochs, 5.0, 0.9, "cosine")
    assert panel.recipe.currentText() == "Fast modern settings"
    panel.recipe.activated.emit(0)  # the user picks the article's again
    assert _settings(panel) == (MNIST_100.eta, 10, 60, 5.0, 0.0, "constant")
    window.load_preset("mnist-30")
    assert _settings(panel) == (3.0, 10, 30, 0.0, 0.0, "constant")
    window.load_preset("concert")  # step units: no recipe to offer
    assert panel.recipe.isHidden()


def test_the_chain_trains_on_its_own_example(window):
    window.load_preset("chain")
    panel = window.training
    assert window.doc.preset_dataset is not None and len(window.doc.preset_dataset) == 1
    assert (panel.eta.value(), panel.batch.value()) == (3.0, 1)
    assert panel.data_spec().train is window.doc.preset_dataset
