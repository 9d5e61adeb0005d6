"""BlasThreads uses all cores only while they are clearly faster than one, measuring as training goes."""

from threadpoolctl import threadpool_info

from digitlab.plumbing import threads as th
from digitlab.plumbing.threads import BlasThreads


def blas_threads_now():
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


def tuner_on_two_cores():
    tuner = BlasThreads()
    tuner.all_cores = 2   # as on a two-core machine, whatever this one has
    return tuner


def run(tuner, seconds_for, batches):
    """Feed the tuner batch times from seconds_for(thread count); return the counts used."""
    used = []
    for _ in range(batches):
        used.append(tuner.current)
        tuner.batch_done(seconds_for(tuner.current))
    return used


def test_all_cores_are_kept_when_clearly_faster():
    with tuner_on_two_cores() as tuner:
        used = run(tuner, lambda n: 0.001 if n == 2 else 0.002, 40)
    assert used[:8] == [1] * 8 and used[-20:] == [2] * 20


def test_one_core_is_kept_when_all_cores_are_not_clearly_faster():
    with tuner_on_two_cores() as tuner:
        used = run(tuner, lambda n: 0.0019 if n == 2 else 0.002, 40)
    assert used[-20:] == [1] * 20


def test_measuring_all_cores_stops_at_the_first_batch_that_crawls():
    with tuner_on_two_cores() as tuner:
        used = run(tuner, lambda n: 0.050 if n == 2 else 0.002, 40)
    assert used.count(2) == 1


def test_a_busy_machine_sends_it_back_to_one_thread_at_once():
    busy = {"on": False}
    with tuner_on_two_cores() as tuner:
        run(tuner, lambda n: 0.001 if n == 2 else 0.002, 20)
        busy["on"] = True
        used = run(tuner, lambda n: 0.050 if n == 2 else 0.002, 10)
    assert used == [2, 2] + [1] * 8


def test_one_slow_batch_alone_changes_nothing():
    with tuner_on_two_cores() as tuner:
        run(tuner, lambda n: 0.001 if n == 2 else 0.002, 20)
        run(tuner, lambda n: 0.050, 1)
        used = run(tuner, lambda n: 0.001 if n == 2 else 0.002, 10)
    assert used == [2] * 10


def test_it_measures_again_less_often_while_all_cores_keep_losing():
    with tuner_on_two_cores() as tuner:
        used = run(tuner, lambda n: 0.050 if n == 2 else 0.002, 8 * th.RECHECK_EVERY)
    starts = [i for i in range(1, len(used)) if used[i] == 2 and used[i - 1] == 1]
    gaps = [b - a for a, b in zip(starts, starts[1:])]
    assert len(starts) >= 3 and gaps == sorted(gaps) and gaps[-1] > 1.5 * gaps[0]


def test_a_fixed_thread_count_is_set_kept_and_restored():
    before = blas_threads_now()
    with BlasThreads(1) as tuner:
        assert blas_threads_now() == 1
        assert run(tuner, lambda n: 1.0, 30) == [1] * 30
    assert blas_threads_now() == before
