"""BlasThreads keeps the faster of "all cores" and "one core", measuring as training goes."""

from threadpoolctl import threadpool_info

from digitlab import threads as th
from digitlab.threads import BlasThreads


def blas_threads_now():
    return max(lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas")


def run(tuner, seconds_for, batches):
    """Feed the tuner batch times from seconds_for(current thread count); return the counts used."""
    used = []
    for _ in range(batches):
        used.append(tuner.current)
        tuner.batch_done(seconds_for(tuner.current))
    return used


def test_it_keeps_whichever_thread_count_measured_faster():
    for fast in (2, 1):
        tuner = BlasThreads()
        tuner.candidates = [2, 1]
        with tuner:
            used = run(tuner, lambda n: 0.001 if n == fast else 0.003, 40)
        assert used[-20:] == [fast] * 20
        assert tuner.log == [(fast, 0.001)]


def test_a_batch_much_slower_than_expected_triggers_a_new_measurement():
    tuner = BlasThreads()
    tuner.candidates = [2, 1]
    busy = {"on": False}
    with tuner:
        run(tuner, lambda n: 0.001 if n == 2 else 0.002, 20)       # idle machine: two threads win
        busy["on"] = True
        used = run(tuner, lambda n: 0.050 if n == 2 else 0.002, 40)  # busy machine: two threads crawl
    assert used[-10:] == [1] * 10
    assert [n for n, _ in tuner.log] == [2, 1]


def test_it_measures_again_after_a_while():
    tuner = BlasThreads()
    tuner.candidates = [2, 1]
    with tuner:
        probe = 2 * (th.PROBE_BATCHES + 1)                  # two candidates, each with a warm-up batch
        run(tuner, lambda n: 0.001, 3 * probe + 2 * th.RECHECK_EVERY + 5)
    assert len(tuner.log) == 3


def test_a_fixed_thread_count_is_set_kept_and_restored():
    before = blas_threads_now()
    with BlasThreads(1) as tuner:
        assert blas_threads_now() == 1
        assert run(tuner, lambda n: 1.0, 30) == [1] * 30
    assert blas_threads_now() == before
