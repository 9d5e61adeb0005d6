"""Optimisers against hand computations and a plain reference written here."""

import numpy as np
import pytest

from digitlab.optim import SGD, Adam, make_optimizer


def test_sgd_step_without_momentum_is_minus_lr_times_gradient():
    params = np.array([1.0, -2.0], np.float32)
    SGD(params, lr=0.5).step(np.array([0.2, -4.0], np.float32))
    assert params == pytest.approx([0.9, 0.0])


def test_sgd_momentum_remembers_the_previous_step():
    params = np.array([0.0], np.float32)
    opt = SGD(params, lr=0.1, momentum=0.9)
    opt.step(np.array([1.0], np.float32))   # v = -0.1, θ = -0.1
    opt.step(np.array([1.0], np.float32))   # v = 0.9·(-0.1) - 0.1 = -0.19, θ = -0.29
    assert params == pytest.approx([-0.29])


def test_adam_first_two_steps_match_a_hand_computation():
    params = np.array([1.0, 1.0], np.float32)
    opt = Adam(params, lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    g1, g2 = np.array([0.5, -2.0]), np.array([1.0, 1.0])
    opt.step(g1.astype(np.float32))
    # step 1: m̂ = g, ŝ = g², so the step is lr·sign(g) (up to ε)
    assert params == pytest.approx([0.9, 1.1], abs=1e-6)
    opt.step(g2.astype(np.float32))
    m = 0.9 * (0.1 * g1) + 0.1 * g2
    s = 0.999 * (0.001 * g1**2) + 0.001 * g2**2
    m_hat, s_hat = m / (1 - 0.9**2), s / (1 - 0.999**2)
    expected = np.array([0.9, 1.1]) - 0.1 * m_hat / (np.sqrt(s_hat) + 1e-8)
    assert params == pytest.approx(expected, abs=1e-6)


def test_adam_matches_a_plain_reference_implementation_over_many_steps():
    rng = np.random.default_rng(0)
    params = rng.standard_normal(50).astype(np.float32)
    ref = params.astype(np.float64)
    opt = Adam(params, lr=0.01)
    m = np.zeros(50); s = np.zeros(50)
    for t in range(1, 101):
        g = rng.standard_normal(50)
        opt.step(g.astype(np.float32))
        m = 0.9 * m + 0.1 * g
        s = 0.999 * s + 0.001 * g * g
        ref -= 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(s / (1 - 0.999**t)) + 1e-8)
    assert params == pytest.approx(ref, abs=1e-4)


def test_adam_keeps_the_running_averages_m_and_v_of_the_paper():
    params = np.zeros(2, np.float32)
    opt = Adam(params, lr=0.1)
    g1, g2 = np.array([0.5, -2.0], np.float32), np.array([1.0, 1.0], np.float32)
    opt.step(g1)
    opt.step(g2)
    assert opt.m == pytest.approx(0.9 * 0.1 * g1 + 0.1 * g2)
    assert opt.v == pytest.approx(0.999 * 0.001 * g1**2 + 0.001 * g2**2)
    assert opt.t == 2


def test_a_step_changes_the_parameters_in_place_and_keeps_float32():
    params = np.ones(3, np.float32)
    same = params
    Adam(params, lr=0.1).step(np.ones(3, np.float32))
    SGD(params, lr=0.1, momentum=0.5).step(np.ones(3, np.float32))
    assert params is same and params.dtype == np.float32
    assert params == pytest.approx([0.8, 0.8, 0.8])


@pytest.mark.parametrize("lr", [0, -1, float("nan"), float("inf")])
def test_optimisers_refuse_a_learning_rate_that_is_not_positive(lr):
    with pytest.raises(ValueError, match="learning rate"):
        Adam(np.zeros(3, np.float32), lr=lr)


def test_make_optimizer_knows_names_and_refuses_unknown_ones():
    params = np.zeros(3, np.float32)
    assert isinstance(make_optimizer("Adam", params, 1e-3), Adam)
    assert isinstance(make_optimizer("sgd", params, 0.1, momentum=0.9), SGD)
    with pytest.raises(ValueError, match="unknown optimizer 'rmsprop'"):
        make_optimizer("rmsprop", params, 1e-3)
