"""The playground's data (a mixin of PlaygroundPanel): the noise and test-part sliders, data
sets made with them and fed the network's features, the data made again when a slider moves (the
weights stay), and the output layer fitted to a classification or a regression set."""

from __future__ import annotations

from ...core import plane_features as fx
from ...core import playground as pg
from ...core.network import Network


class PlaygroundDataSets:
    """The PlaygroundPanel's making of data."""

    @property
    def noise(self) -> float:
        return self.noise_slider.value() / 100

    @property
    def test_fraction(self) -> float:
        return self.test_slider.value() / 100

    def _show_sliders(self) -> None:
        self.noise_label.setText(f"noise {self.noise:.2f}")
        self.test_label.setText(f"test {self.test_slider.value()} %")

    def _made(self, key: str, noise: float | None):
        """(PlaygroundData, train, test): data set ``key`` made with ``noise`` and the test
        part the slider says, its targets as the output layer takes them and fed the
        network's features; train None (with the reason shown) if the network cannot learn
        it."""
        data = pg.make_data(key, noise, test_fraction=self.test_fraction)
        train, test = self._targets_for(data.train), self._targets_for(data.test)
        if train is None or (pg.is_regression(key) and self.doc.net.sizes[-1] != 1):
            self.status.setText("The playground's classification sets need 1 or 2 output "
                                "neurons, its regression sets 1.")
            return data, None, None
        keys = self.features or fx.PLAIN
        return data, fx.with_features(train, keys), fx.with_features(test, keys)

    def _fit_output(self, key: str) -> None:
        """A single output neuron that suits data set ``key``: linear with the quadratic cost
        for regression, sigmoid with the cross-entropy for classification (weights kept; one
        undo step, none if it suits already)."""
        net = self.doc.net
        if net.sizes[-1] != 1:
            return
        want = ("linear", "quadratic") if pg.is_regression(key) else ("sigmoid",
                                                                       "cross-entropy")
        if (net.activation_names[-1], net.cost_name) == want:
            return
        if not pg.is_regression(key) and net.cost_name == "quadratic" \
                and net.activation_names[-1] in ("sigmoid", "tanh"):
            return  # a classifier of its own kind (the perceptron presets)
        acts = net.activation_names[:-1] + [want[0]]
        new = Network(net.sizes, acts, want[1], init=net.init,
                      parameters=(net.weights, net.biases))
        self.doc.change_structure(new, f"{want[0].capitalize()} output, {want[1]} cost")

    def regenerate(self) -> bool:
        """The data set made again with the sliders' noise and test part; the weights stay
        (the data is not an undo step, as adding a point is not)."""
        if not self.applicable:
            return False
        if self.data is None:
            self.status.setText("The sliders make the playground's data again: choose a data "
                                "set (or Use this data) first.")
            return False
        key = self.data.key
        data, train, test = self._made(key, self.noise)
        if train is None:
            return False

        def change():
            self.doc.set_dataset(train, test)
            self.data = pg.PlaygroundData(key, data.noise, train, test)
            self.doc.set_examples(train)
        return self._change(change, "make the data again")

    def _on_data_slider(self, _value: int) -> None:
        self._show_sliders()
        self.regenerate()
