"""The training dashboard: status words, stopping, divergence, throttled redraws, curves, worker thread."""

import asyncio
import re
import threading
import time

import numpy as np
import pytest

from digitlab import MLP, History, TrainingEvent
from digitlab.plumbing.live_training import Throttle, TrainingSession, percent_done
from digitlab.plots.live_curves import LiveCurves, shown_values

from synthetic import two_blobs


def make_session(epochs=3, n=200, batch_size=10, **kwargs):
    X, y = two_blobs(n)
    return TrainingSession(MLP((784, 16, 2), seed=0), X, y, epochs=epochs, batch_size=batch_size,
                           validation_data=two_blobs(60, seed=1), callback_every=5, **kwargs)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def run_in_new_loop(make_coroutine):
    """Run make_coroutine() to the end in a new event loop, in a thread of its own.

    A thread of its own, because this one may already be running an event loop (Playwright's).
    """
    outcome = {}

    def target():
        try:
            outcome["value"] = asyncio.run(make_coroutine())
        except BaseException as e:
            outcome["error"] = e

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def event(kind, epoch, step, loss, accuracy, session):
    return TrainingEvent(kind, epoch, session.epochs, step, session.steps, loss, accuracy, History(), session.model)


# ---- status words ------------------------------------------------------------------------------

def test_status_before_training_says_how_much_training_is_planned():
    session = make_session(epochs=3, n=200, batch_size=10)
    assert session.status() == "Ready to train: 3 epochs of 20 batches (200 images, 10 per batch)"


def test_status_during_training_names_epoch_percent_done_and_validation_accuracy():
    seen = []
    session = make_session(epochs=5, n=200, batch_size=10, status_interval=0,  # 5 epochs of 20 batches
                           on_update=lambda s, redraw: seen.append((s.state, s.epoch, s.step, s.status())))
    session.run()
    in_epoch_2 = [(step, text) for state, epoch, step, text in seen if state == "training" and epoch == 2]
    step, text = in_epoch_2[-1]
    val = session.curves["val_accuracy"][0]
    assert text == f"Epoch 2 of 5 — {step}% done — validation accuracy {val:.1%}"


def test_percent_done_rounds_down_so_that_100_means_every_batch_is_done():
    assert percent_done(999, 1000) == 99
    assert percent_done(1000, 1000) == 100
    assert percent_done(0, 7) == 0


def test_status_during_training_is_reported_to_the_display_as_training_goes():
    statuses = []
    session = make_session(epochs=3, on_update=lambda s, redraw: statuses.append(s.status()),
                           status_interval=0)
    session.run()
    during = [s for s in statuses if s.startswith("Epoch")]
    assert len(during) >= 6
    assert during[0] == "Epoch 1 of 3 — 0% done"
    assert all(re.fullmatch(r"Epoch [123] of 3 — \d{1,3}% done — (training|validation) accuracy \d+\.\d%", s)
               for s in during[1:])
    assert "training accuracy" in during[1] and "validation accuracy" in during[-1]
    assert re.fullmatch(r"Done: 3 epochs \(60 batches\) in \d+ s — validation accuracy 100\.0%", statuses[-1])


# ---- stopping ----------------------------------------------------------------------------------

def test_the_fit_callback_returns_true_once_stop_is_requested():
    session = make_session()
    assert session.callback(event("batch", 1, 5, 0.7, 0.5, session)) is False
    session.request_stop()
    assert session.callback(event("batch", 1, 10, 0.6, 0.6, session)) is True


def test_stop_requested_during_training_stops_soon_and_keeps_the_weights_learned_so_far():
    start = MLP((784, 16, 2), seed=0).params.copy()
    at_stop = {}

    def press_stop_after_20_batches(session, redraw):
        if session.state == "training" and session.step >= 20:
            at_stop["params"] = session.model.params.copy()
            session.request_stop()

    session = make_session(epochs=50, on_update=press_stop_after_20_batches, status_interval=0)
    history = session.run()
    assert session.state == "stopped"
    assert session.step == 20 and session.step < session.steps
    assert history.stopped_early
    assert np.array_equal(session.model.params, at_stop["params"])
    assert not np.array_equal(session.model.params, start)
    assert session.status() == ("Stopped after 20 batches: the weights learned so far are kept"
                                " — validation accuracy 100.0%")
    assert session.curves["val_x"][-1] == 1.0  # the partial epoch was still scored on validation


def test_stop_shows_stopping_until_the_training_thread_has_stopped():
    said = []

    def press_stop_at_batch_5(session, redraw):
        if session.state == "training" and session.step >= 5 and not said:
            said.append(None)
            session.request_stop()                  # tells the display at once, from inside this call
        elif session.state == "stopping":
            said[-1] = session.status()

    session = make_session(epochs=50, on_update=press_stop_at_batch_5, status_interval=0)
    session.run()
    assert said == ["Stopping after 5 batches…"]
    assert session.state == "stopped"


def test_a_session_trains_only_once():
    session = make_session(epochs=1)
    session.run()
    with pytest.raises(ValueError, match="already trained"):
        session.run()


def test_passing_callbacks_or_progress_is_refused_in_plain_words():
    X, y = two_blobs(20)
    with pytest.raises(ValueError, match="don't pass callbacks"):
        TrainingSession(MLP((784, 4, 2)), X, y, callbacks=[print])


# ---- divergence --------------------------------------------------------------------------------

def test_a_diverging_run_shows_the_plain_message_instead_of_a_traceback():
    X, y = two_blobs()
    model = MLP((784, 32, 2), seed=0)
    before = model.params.copy()
    session = TrainingSession(model, X, 1 - y, epochs=5, batch_size=10, optimizer="sgd", lr=1e3)
    history = session.run()  # does not raise
    assert isinstance(history, History) and history.loss == []
    assert session.state == "diverged"
    assert session.status().startswith("Training stopped: the loss became")
    assert "learning rate (lr=1000) is probably too high" in session.status()
    assert np.array_equal(model.params, before)


# ---- redrawing ---------------------------------------------------------------------------------

def test_throttle_says_yes_at_most_once_per_interval():
    clock = FakeClock()
    throttle = Throttle(0.5, clock)
    answers = []
    for t in [0.0, 0.1, 0.49, 0.5, 0.6, 1.2]:
        clock.now = t
        answers.append(throttle.ready())
    assert answers == [True, False, False, True, False, True]
    assert throttle.ready(force=True)


def test_redraws_during_training_are_limited_by_the_clock():
    clock = FakeClock()
    redraws = []

    def on_update(session, redraw):
        clock.now += 0.1  # every event arrives 0.1 s after the one before
        redraws.append(redraw)

    session = make_session(epochs=4, on_update=on_update, clock=clock, redraw_interval=0.5, status_interval=0,
                           max_drawing_share=1)
    session.run()
    during = redraws[1:-1]  # the first and last updates always redraw
    assert redraws[0] and redraws[-1]
    assert 0 < sum(during) <= len(during) / 4


def test_slow_drawing_is_done_less_often_so_that_it_takes_at_most_a_given_share_of_the_time():
    clock = FakeClock()
    redraws = []

    def on_update(session, redraw):
        clock.now += 0.3 if redraw else 0.05  # drawing takes 0.3 s; training goes on between events
        redraws.append(redraw)

    session = make_session(epochs=50, on_update=on_update, clock=clock, redraw_interval=0.5, status_interval=0,
                           max_drawing_share=0.1)
    session.run()
    assert session.redraw_throttle.interval == pytest.approx(3.0)
    drawing = 0.3 * sum(redraws[1:-1])
    assert drawing <= 0.1 * clock.now


def test_one_slow_redraw_does_not_slow_down_the_redraws_that_follow():
    clock = FakeClock()
    took = iter([0.01, 0.01, 2.0] + [0.01] * 1000)

    def on_update(session, redraw):
        clock.now += next(took) if redraw else 0.05

    session = make_session(epochs=50, on_update=on_update, clock=clock, redraw_interval=0.5, status_interval=0)
    session.run()
    slow = session.drawing_seconds.index(2.0)
    assert len(session.drawing_seconds[slow + 1:]) >= 10  # a slow redraw alone would have meant a 20 s pause
    assert session.redraw_throttle.interval == 0.5


def test_training_points_are_the_loss_and_accuracy_over_the_batches_since_the_previous_point():
    session = make_session(epochs=2, n=100, batch_size=10)  # 10 batches an epoch
    session.callback(event("batch", 1, 5, 2.0, 0.4, session))    # mean over 50 images
    session.callback(event("batch", 1, 10, 1.5, 0.6, session))   # mean over 100 images
    session.callback(event("epoch", 1, 10, 1.5, 0.6, session))
    session.callback(event("batch", 2, 15, 0.8, 0.9, session))   # a new epoch starts a new mean
    assert session.curves["train_x"] == [0.5, 1.0, 1.5]
    assert session.curves["train_loss"] == pytest.approx([2.0, 1.0, 0.8])
    assert session.curves["train_accuracy"] == pytest.approx([0.4, 0.8, 0.9])


def test_validation_points_come_at_the_end_of_each_epoch():
    session = make_session(epochs=3)
    session.run()
    assert session.curves["val_x"] == [1.0, 2.0, 3.0]
    assert session.curves["val_accuracy"] == session.history.val_accuracy


def test_shown_values_keep_the_steep_start_and_skip_only_values_that_are_not_finite():
    curves = {"train_x": [0.5, 1.0, 1.5, 2.0], "train_loss": [2.0, 0.5, 0.3, float("inf")],
              "val_loss": [0.4, float("nan")]}
    assert shown_values(curves, "loss") == [2.0, 0.5, 0.3, 0.4]


def test_live_curves_move_the_same_lines_and_render_a_png():
    import matplotlib.pyplot as plt

    open_before = plt.get_fignums()
    curves = LiveCurves(epochs=3)
    data = {"train_x": [0.5, 1.0, 1.5], "train_loss": [2.0, 0.5, 0.3], "train_accuracy": [0.3, 0.9, 0.95],
            "val_x": [1.0], "val_loss": [0.4], "val_accuracy": [0.93]}
    line = curves.lines["train_loss"]
    curves.update(data)
    first = curves.png()
    data["train_x"].append(2.0), data["train_loss"].append(0.2), data["train_accuracy"].append(0.97)
    curves.update(data)
    assert curves.lines["train_loss"] is line
    assert list(line.get_xdata()) == [0.5, 1.0, 1.5, 2.0]
    assert curves.ax_loss.get_ylim() == pytest.approx((0, 2.2))      # the curve from its first point
    assert curves.ax_acc.get_ylim()[0] == pytest.approx(0.3 - 0.07)
    png = curves.png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png != first
    assert plt.get_fignums() == open_before


# ---- the worker thread -------------------------------------------------------------------------

def test_run_async_trains_in_a_worker_thread_while_the_event_loop_stays_free():
    threads, ticks = set(), []

    async def main():
        session = make_session(epochs=20, n=400, on_update=lambda s, r: threads.add(threading.current_thread().name))
        task = asyncio.ensure_future(session.run_async(poll=0.01))
        while not task.done():
            ticks.append(session.step)
            await asyncio.sleep(0.005)
        return session, await task

    session, history = run_in_new_loop(main)
    assert threads == {"digitlab-training"}
    assert session.state == "finished" and len(history.loss) == 20
    assert len(ticks) > 3


def test_cancelling_run_async_stops_training_and_waits_for_the_worker():
    async def main():
        session = make_session(epochs=1000, n=400)
        task = asyncio.ensure_future(session.run_async(poll=0.01))
        while session.step < 50:
            await asyncio.sleep(0.005)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return session

    session = run_in_new_loop(main)
    assert session.state == "stopped" and session.step < session.steps
    assert not any(t.name == "digitlab-training" for t in threading.enumerate())


def test_an_error_in_training_reaches_the_awaiting_cell():
    X, y = two_blobs(20)
    session = TrainingSession(MLP((784, 4, 2)), X, y[:10], epochs=1)
    with pytest.raises(ValueError, match="20 images but 10 labels"):
        run_in_new_loop(session.run_async)
    assert session.state == "failed"
    assert session.status() == "Training failed: ValueError: got 20 images but 10 labels"


# ---- the widget --------------------------------------------------------------------------------

def test_dashboard_shows_progress_status_and_curves_after_training():
    from digitlab.widgets import TrainingDashboard

    X, y = two_blobs()
    dashboard = TrainingDashboard(MLP((784, 16, 2)), X, y, epochs=2, batch_size=10,
                                  validation_data=two_blobs(60, seed=1))
    assert "Ready to train: 2 epochs of 20 batches" in dashboard.status.value
    assert dashboard.stop_button.disabled
    history = run_in_new_loop(dashboard.train)
    assert history is dashboard.history and len(history.loss) == 2
    assert dashboard.progress.value == dashboard.progress.max == 40
    assert "data-state='finished'" in dashboard.status.value and "Done: 2 epochs" in dashboard.status.value
    assert dashboard.stop_button.disabled
    assert dashboard.image.value[:8] == b"\x89PNG\r\n\x1a\n"


def test_clicking_stop_on_the_dashboard_stops_training_and_says_so():
    from digitlab.widgets import TrainingDashboard

    X, y = two_blobs()
    dashboard = TrainingDashboard(MLP((784, 16, 2)), X, y, epochs=100, batch_size=10)
    clicked_at = []

    def click_stop_once_30_batches_show():          # a reader watching the progress bar
        while dashboard.progress.value < 30:
            time.sleep(0.001)
        assert not dashboard.stop_button.disabled
        clicked_at.append(dashboard.progress.value)
        dashboard.stop_button.click()

    reader = threading.Thread(target=click_stop_once_30_batches_show)
    reader.start()
    run_in_new_loop(dashboard.train)
    reader.join()
    assert dashboard.session.state == "stopped"
    steps = dashboard.session.step
    assert clicked_at[0] <= steps < clicked_at[0] + 20 and steps < dashboard.progress.max
    assert dashboard.progress.value == steps
    assert f"Stopped after {steps} batches: the weights learned so far are kept" in dashboard.status.value
    assert dashboard.progress.bar_style == "warning"
    assert dashboard.stop_button.disabled


def test_dashboard_shows_the_divergence_message_in_plain_words():
    from digitlab.widgets import TrainingDashboard

    X, y = two_blobs()
    dashboard = TrainingDashboard(MLP((784, 32, 2)), X, 1 - y, epochs=5, batch_size=10, optimizer="sgd", lr=1e3)
    run_in_new_loop(dashboard.train)
    assert "data-state='diverged'" in dashboard.status.value
    assert "Training stopped: the loss became" in dashboard.status.value
    assert dashboard.progress.bar_style == "danger"


def test_a_finished_session_lets_go_of_its_images_so_a_second_run_all_does_not_hold_two_copies():
    X, y = two_blobs(60)
    session = TrainingSession(MLP((784, 8, 2)), X, y, epochs=1, validation_data=(X[:10], y[:10]))
    assert session.X is X
    session.run()
    assert session.X is None and session.y is None and session.validation_data is None
    assert session.history.loss and session.num_images == 60      # what it learned and reported stays
