"""A run in the window leaves the provenance of the weights it returns with the document: Save
writes it, marked edited after training once the weights change, with any setting changed while
it trained."""

from nnviz.core.netfile import network_info
from tests.ui.training.test_training import TIMEOUT, finish


def test_a_run_in_the_window_is_saved_with_its_provenance(window, qtbot, tmp_path):
    window.load_preset("mnist-30")
    panel, doc = window.training, window.doc
    panel.subset.setValue(600)
    panel.validation.setValue(100)
    panel.epochs.setValue(2)
    panel.batch.setValue(10)
    panel.start()
    result = finish(qtbot, window)
    path = tmp_path / "trained.npz"
    assert window.files.save_to(str(path))
    info = network_info(path)
    prov = info["provenance"]
    assert info["edited_after_training"] is False
    assert prov["made_by"] == "the nnviz window"
    training = prov["training"]
    assert (training["epochs_asked"], training["epochs_completed"]) == (2, 2)
    assert training["batch_size"] == 10 and training["kept_epoch"] == 2
    assert training["eta"] == panel.eta.value() and "changed_while_training" not in training
    assert prov["data"]["source"] == "MNIST (bundled with nnviz)"
    assert (prov["data"]["train_images"], prov["data"]["validation_images"]) == (500, 100)
    assert prov["data"]["train_subset"] == 600
    assert prov["result"]["test_accuracy"] == result.test_accuracy
    assert prov["result"]["train_accuracy"] == window.trainer.run.epochs[-1].train_accuracy
    # An edit by hand: saved again, the record says the weights are no longer the trained ones.
    doc.set_weight(1, 0, 0, 0.5)
    assert window.files.save_to(str(path))
    edited = network_info(path)
    assert edited["edited_after_training"] is True
    assert edited["provenance"]["training"] == training
    doc.undo()  # the trained weights again: the record holds as it was
    assert window.files.save_to(str(path))
    assert network_info(path)["provenance"] == prov
    window.load_preset("xor")  # another network: no record of that run
    assert window.files.save_to(str(path))
    assert network_info(path)["provenance"] is None


def test_a_setting_changed_while_training_is_in_the_provenance(window, qtbot, tmp_path):
    window.load_preset("2-3-1")
    ctl, settings = window.trainer, window.trainer.session.settings
    settings.epochs, settings.eta = 5, 2.0
    ctl.start_from_settings(paused=True)
    settings.eta = 1.5  # reaches the paused job: learning goes on at η 1.5
    with qtbot.waitSignal(ctl.finished, timeout=TIMEOUT):
        ctl.resume()
    path = tmp_path / "net.npz"
    assert window.files.save_to(str(path))
    training = network_info(path)["provenance"]["training"]
    assert training["eta"] == 2.0 and training["changed_while_training"] == "eta 1.5 from epoch 1"
    assert network_info(path)["provenance"]["data"]["source"] == window.doc.preset_dataset.name
