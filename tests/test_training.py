"""fit: learning, history, callbacks, stopping, divergence, augmentation."""

import re

import numpy as np
import pytest

from digitlab import MLP, TrainingDiverged, evaluate, fit
from digitlab.augment import random_shift
from digitlab.optim import SGD
from digitlab.training import cosine_schedule

from synthetic import two_blobs


def test_fit_learns_and_records_one_history_entry_per_epoch():
    X, y = two_blobs()
    model = MLP((784, 16, 2))
    history = fit(model, X, y, epochs=3, batch_size=32, progress=False, validation_data=two_blobs(50, seed=1))
    assert len(history.loss) == len(history.accuracy) == len(history.val_accuracy) == 3
    assert history.val_accuracy[-1] == 1.0
    assert history.loss[-1] < history.loss[0]
    assert evaluate(model, X, y)[1] == 1.0


def test_history_gives_its_lists_by_name():
    X, y = two_blobs(40)
    history = fit(MLP((784, 4, 2)), X, y, epochs=2, progress=False)
    as_dict = history.as_dict()
    assert as_dict["accuracy"] == history.accuracy and len(as_dict["seconds"]) == 2
    assert set(as_dict) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"}


def test_uint8_images_train_exactly_like_the_same_images_scaled_to_floats():
    X, y = two_blobs(64)
    X8 = (X / X.max() * 255).round().astype(np.uint8)
    a, b = MLP((784, 8, 2)), MLP((784, 8, 2))
    fit(a, X8, y, epochs=2, batch_size=16, progress=False)
    fit(b, X8.astype(np.float32) / 255, y, epochs=2, batch_size=16, progress=False)
    assert np.allclose(a.params, b.params, atol=1e-5)


def test_fit_is_reproducible_for_a_seed():
    X, y = two_blobs()
    a, b = MLP((784, 8, 2)), MLP((784, 8, 2))
    fit(a, X, y, epochs=2, progress=False, seed=7)
    fit(b, X, y, epochs=2, progress=False, seed=7)
    assert np.array_equal(a.params, b.params)


def test_callbacks_are_told_about_batches_and_epochs():
    X, y = two_blobs(100)
    events = []
    fit(MLP((784, 8, 2)), X, y, epochs=2, batch_size=10, progress=False, callbacks=[events.append],
        callback_every=5)
    kinds = [e.kind for e in events]
    assert kinds == ["batch", "batch", "epoch", "batch", "batch", "epoch"]
    assert events[-1].step == events[-1].steps == 20
    assert len(events[-1].history.loss) == 2


def test_a_callback_returning_true_stops_training_and_keeps_the_weights_learned():
    X, y = two_blobs(100)
    model = MLP((784, 8, 2))
    before = model.params.copy()
    history = fit(model, X, y, epochs=50, batch_size=10, progress=False,
                  callbacks=lambda e: e.step >= 15, callback_every=5)
    assert history.stopped_early and len(history.loss) == 2
    assert not np.array_equal(model.params, before)


def test_a_diverging_learning_rate_stops_with_a_plain_message_and_restores_the_weights():
    X, y = two_blobs()
    model = MLP((784, 32, 2))
    fit(model, X, y, epochs=1, progress=False)
    before = model.params.copy()
    with pytest.raises(TrainingDiverged, match="learning rate .* too high") as info:
        fit(model, X, 1 - y, epochs=5, optimizer="sgd", lr=1e3, progress=False)
    assert isinstance(info.value, ValueError)
    assert np.array_equal(model.params, before)


def test_a_callback_can_stop_training_at_the_end_of_an_epoch():
    X, y = two_blobs(40)
    history = fit(MLP((784, 4, 2)), X, y, epochs=5, batch_size=10, progress=False,
                  callbacks=lambda e: e.kind == "epoch" and e.epoch == 2)
    assert len(history.loss) == 2 and history.stopped_early


def test_a_callback_stopping_after_the_last_epoch_is_not_an_early_stop():
    X, y = two_blobs(40)
    history = fit(MLP((784, 4, 2)), X, y, epochs=2, batch_size=10, progress=False,
                  callbacks=lambda e: e.kind == "epoch" and e.epoch == 2)
    assert len(history.loss) == 2 and not history.stopped_early


def test_weights_that_become_infinite_at_the_end_of_an_epoch_are_put_back():
    class Overflowing(SGD):
        """Plain SGD whose last step of each epoch (the 2nd batch) overflows one weight."""

        def step(self, grads):
            super().step(grads)
            if self.t % 2 == 0:
                self.params[0] = np.inf

    X, y = two_blobs(16)
    model = MLP((784, 4, 2))
    before = model.params.copy()
    with pytest.raises(TrainingDiverged, match="the weights became infinite in epoch 1"):
        fit(model, X, y, epochs=3, batch_size=8, optimizer=Overflowing(model.params, lr=0.1), progress=False)
    assert np.array_equal(model.params, before)


def test_the_divergence_message_quotes_the_threshold_it_used():
    X, y = two_blobs()
    with pytest.raises(TrainingDiverged) as info:
        fit(MLP((784, 32, 2)), X, 1 - y, epochs=5, optimizer="sgd", lr=1e3, progress=False)
    quoted = float(re.search(r"more than 10 times (\S+) ", str(info.value)).group(1))
    assert quoted >= np.log(2) - 0.005


def test_bad_settings_are_refused_before_any_work():
    X, y = two_blobs(10)
    for settings in ({"epochs": 0}, {"batch_size": 0}, {"epochs": 2.5}, {"callback_every": 0}):
        with pytest.raises(ValueError, match="must be a whole number of at least 1"):
            fit(MLP((784, 4, 2)), X, y, progress=False, **settings)
    with pytest.raises(ValueError, match="validation images"):
        fit(MLP((784, 4, 2)), X, y, progress=False, validation_data=(X[:, :5], y))
    with pytest.raises(ValueError, match="got 10 images but 3 validation labels"):
        fit(MLP((784, 4, 2)), X, y, progress=False, validation_data=(X, y[:3]))


def test_nan_pixels_are_refused_before_training_starts():
    X, y = two_blobs(10)
    X[3, 3, 3] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        fit(MLP((784, 4, 2)), X, y, progress=False)


def test_fit_refuses_mismatched_or_invalid_labels():
    X, y = two_blobs(10)
    with pytest.raises(ValueError, match="10 images but 9 labels"):
        fit(MLP((784, 4, 2)), X, y[:9], progress=False)
    with pytest.raises(ValueError, match="labels must be whole numbers from 0 to 1"):
        fit(MLP((784, 4, 2)), X, y + 5, progress=False)


def test_cosine_schedule_goes_from_one_to_zero():
    assert cosine_schedule(0) == 1 and cosine_schedule(1) == pytest.approx(0) and cosine_schedule(0.5) == pytest.approx(0.5)


def test_cosine_schedule_lowers_the_learning_rate_each_epoch():
    X, y = two_blobs(64)
    history = fit(MLP((784, 4, 2)), X, y, epochs=4, batch_size=16, lr=1e-2, schedule="cosine", progress=False)
    assert history.lr == sorted(history.lr, reverse=True) and history.lr[0] < 1e-2


def test_random_shift_moves_each_image_by_at_most_max_shift_pixels():
    rng = np.random.default_rng(0)
    X = np.zeros((50, 28, 28), np.float32)
    X[:, 14, 14] = 1
    shifted = random_shift(X, rng, max_shift=2)
    rows, cols = np.nonzero(shifted.reshape(50, 28, 28).max(axis=0))
    assert shifted.shape == X.shape and shifted.sum() == 50
    assert set(rows) <= set(range(12, 17)) and set(cols) <= set(range(12, 17))
    assert len(set(rows)) > 1 and len(set(cols)) > 1


def test_fit_applies_augmentation_to_each_batch():
    X, y = two_blobs(40)
    seen = []

    def spy(batch, rng):
        seen.append(batch.shape)
        return batch

    fit(MLP((784, 4, 2)), X, y, epochs=1, batch_size=16, augment=spy, progress=False)
    assert seen == [(16, 784), (16, 784), (8, 784)]


def test_history_summary_names_the_best_epoch_and_copes_with_a_run_that_never_finished_an_epoch():
    X, y = two_blobs(200, seed=3)
    history = fit(MLP((784, 8, 2), seed=0), X, y, epochs=3, lr=1e-2, validation_data=(X[:50], y[:50]),
                  progress=False)
    text = history.summary()
    best = int(np.argmax(history.val_accuracy)) + 1
    assert "epochs trained: 3" in text and f"after epoch {best}" in text
    assert all(len(line) <= 100 for line in text.splitlines())

    from digitlab.plumbing.live_training import TrainingSession

    session = TrainingSession(MLP((784, 8, 2), seed=0), X, y, epochs=2, lr=1e6)   # blows up in its first epoch
    empty = session.run()
    assert session.state == "diverged" and empty.loss == []
    assert "No epoch was finished" in empty.summary()
