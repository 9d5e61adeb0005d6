"""The MLP: shapes, input checks, backprop against finite differences, learning, save/load."""

import io
import struct
import tracemalloc
import zipfile

import numpy as np
import pytest

from digitlab import MLP
from digitlab.network import cross_entropy, relu, relu_slope, softmax, softmax_cross_entropy_slope


def small_batch(seed=0, n=5, n_in=6, n_out=3):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_in)).astype(np.float32), rng.integers(0, n_out, n)


def test_default_network_has_109386_parameters():
    assert MLP().num_parameters == 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10 == 109_386


def test_weight_views_share_memory_with_the_flat_parameter_vector():
    model = MLP((4, 3, 2))
    model.weights[0][1, 2] = 7.0
    model.biases[1][0] = -3.0
    assert 7.0 in model.params and -3.0 in model.params
    assert [W.shape for W in model.weights] == [(4, 3), (3, 2)]


def test_he_initialisation_gives_weights_with_spread_sqrt_2_over_fan_in():
    W = MLP(seed=1).weights[0]
    assert W.std() == pytest.approx(np.sqrt(2 / 784), rel=0.02)
    assert W.dtype == np.float32


def test_same_seed_gives_same_network_and_different_seed_does_not():
    assert np.array_equal(MLP(seed=3).params, MLP(seed=3).params)
    assert not np.array_equal(MLP(seed=3).params, MLP(seed=4).params)


def test_predict_proba_accepts_flat_square_single_and_uint8_images():
    model = MLP()
    rng = np.random.default_rng(0)
    X = rng.random((3, 28, 28)).astype(np.float32)
    P = model.predict_proba(X)
    assert P.shape == (3, 10) and np.allclose(P.sum(axis=1), 1, atol=1e-5)
    assert np.allclose(model.predict_proba(X.reshape(3, 784)), P)
    assert np.allclose(model.predict_proba(X[0]), P[:1])
    assert np.allclose(model.predict_proba(X[0].ravel()), P[:1])
    as_uint8 = (X * 255).round().astype(np.uint8)
    assert np.allclose(model.predict_proba(as_uint8), model.predict_proba(as_uint8 / 255), atol=1e-6)
    assert model.predict(X).shape == (3,)


@pytest.mark.parametrize("shape", [(3, 27, 27), (3, 785), (2, 3, 28, 28), (28,), ()])
def test_predict_rejects_other_shapes_naming_the_expected_one(shape):
    with pytest.raises(ValueError, match=r"\(N, 784\) or \(N, 28, 28\)"):
        MLP().predict(np.zeros(shape, np.float32))


@pytest.mark.parametrize("dtype", [np.int64, np.int32, object])
def test_predict_rejects_images_of_other_types_with_a_hint(dtype):
    with pytest.raises(ValueError, match="floats in \\[0, 1\\] or uint8"):
        MLP().predict(np.zeros((2, 784), dtype))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_predict_rejects_nan_and_infinite_pixels(bad):
    X = np.zeros((2, 784), np.float32)
    X[1, 5] = bad
    with pytest.raises(ValueError, match="NaN or infinite"):
        MLP().predict(X)


def test_softmax_and_cross_entropy_stay_finite_for_huge_logits():
    Z = np.array([[1e4, -1e4, 0.0], [-3e38, 3e38, 0.0]], np.float32)
    P = softmax(Z)
    assert np.isfinite(P).all() and np.allclose(P.sum(axis=1), 1)
    assert np.isfinite(cross_entropy(P, np.array([1, 0])))  # confidently wrong: large but finite
    assert cross_entropy(P, np.array([0, 1])) == pytest.approx(0, abs=1e-6)


def reference_loss(params, sizes, X, y):
    """Mean cross-entropy of a network with these flat parameters (W0, b0, W1, b1, ...), from scratch in float64."""
    A, i = X.astype(np.float64), 0
    layers = list(zip(sizes[:-1], sizes[1:]))
    for l, (n_in, n_out) in enumerate(layers):
        W = params[i:i + n_in * n_out].reshape(n_in, n_out)
        b = params[i + n_in * n_out:i + n_in * n_out + n_out]
        i += n_in * n_out + n_out
        Z = A @ W + b
        A = np.maximum(Z, 0) if l < len(layers) - 1 else Z
    log_p = A - A.max(axis=1, keepdims=True)
    log_p -= np.log(np.exp(log_p).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()


def numerical_gradient(model, X, y, eps=1e-5):
    """Central differences of reference_loss with respect to every parameter."""
    params = model.params.astype(np.float64)
    grad = np.zeros_like(params)
    for i in range(params.size):
        old = params[i]
        params[i] = old + eps
        up = reference_loss(params, model.sizes, X, y)
        params[i] = old - eps
        down = reference_loss(params, model.sizes, X, y)
        params[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def test_the_reference_loss_agrees_with_the_networks_own():
    model = MLP((6, 5, 4, 3), seed=2)
    X, y = small_batch()
    assert reference_loss(model.params.astype(np.float64), model.sizes, X, y) == pytest.approx(model.loss(X, y), rel=1e-5)


def test_backprop_matches_numerical_gradient_for_every_parameter():
    model = MLP((6, 5, 4, 3), seed=2)
    model.biases[0][:] = 0.1  # keep ReLUs away from their kink, where the derivative jumps
    X, y = small_batch()
    model.loss_and_gradient(X, y)
    numeric = numerical_gradient(model, X, y)
    assert np.allclose(model.grads, numeric, rtol=1e-3, atol=1e-5), np.abs(model.grads - numeric).max()


def test_loss_and_gradient_returns_the_same_loss_as_loss():
    model = MLP((6, 5, 3))
    X, y = small_batch()
    assert model.loss_and_gradient(X, y) == pytest.approx(model.loss(X, y), rel=1e-6)


def test_a_tiny_data_set_is_learned_perfectly():
    from digitlab import fit

    rng = np.random.default_rng(0)
    X = rng.random((40, 784)).astype(np.float32)
    y = np.arange(40) % 10
    model = MLP(seed=0)
    history = fit(model, X, y, epochs=60, batch_size=8, lr=3e-3, progress=False)
    assert model.score(X, y) == 1.0
    assert history.loss[-1] < 0.05 < history.loss[0]


def test_save_and_load_round_trip_keeps_weights_and_metadata(tmp_path):
    model = MLP((784, 16, 10), seed=5)
    model.metadata = {"trained_on": "synthetic", "test_accuracy": 0.5}
    path = model.save(tmp_path / "m.npz")
    loaded = MLP.load(path)
    assert loaded.sizes == (784, 16, 10)
    assert np.array_equal(loaded.params, model.params)
    assert loaded.metadata == model.metadata
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]  # no temporary file left behind


def test_load_refuses_a_file_of_another_architecture(tmp_path):
    path = MLP((784, 16, 10)).save(tmp_path / "small.npz")
    with pytest.raises(ValueError, match=r"sizes \(784, 16, 10\), expected \(784, 128, 64, 10\)"):
        MLP.load(path, sizes=(784, 128, 64, 10))


def test_load_refuses_weights_whose_shape_does_not_match_the_sizes(tmp_path):
    model = MLP((784, 16, 10))
    arrays = {"sizes": np.array([784, 32, 10]), "metadata": np.array("{}"),
              "W0": model.weights[0], "b0": model.biases[0], "W1": model.weights[1], "b1": model.biases[1]}
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match="W0 has shape"):
        MLP.load(tmp_path / "bad.npz")


def test_load_refuses_a_file_with_pickled_objects(tmp_path):
    path = tmp_path / "pickled.npz"
    np.savez(path, sizes=np.array([784, 10]), W0=np.array([{"evil": "object"}], dtype=object))
    with pytest.raises(ValueError, match="read safely"):
        MLP.load(path)


@pytest.mark.parametrize("content", [b"", b"not a zip file at all", b"PK\x03\x04truncated"])
def test_load_refuses_a_corrupt_file_with_a_clear_error(tmp_path, content):
    path = tmp_path / "corrupt.npz"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not a DigitLab model file"):
        MLP.load(path)


def test_load_refuses_a_truncated_model_file(tmp_path):
    path = MLP((784, 16, 10)).save(tmp_path / "m.npz")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError):
        MLP.load(path)


def test_load_refuses_a_zip_without_sizes(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    (tmp_path / "x.npz").write_bytes(buf.getvalue())
    with pytest.raises(ValueError, match="no 'sizes' entry"):
        MLP.load(tmp_path / "x.npz")


def saved_arrays(tmp_path):
    path = MLP((4, 3, 2)).save(tmp_path / "m.npz")
    with np.load(path) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_load_refuses_weights_that_are_not_finite(tmp_path, bad):
    arrays = saved_arrays(tmp_path)
    arrays["W1"][0, 0] = bad
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match="W1 contains NaN or infinite values"):
        MLP.load(tmp_path / "bad.npz")


def test_load_refuses_metadata_that_is_not_json(tmp_path):
    arrays = saved_arrays(tmp_path)
    arrays["metadata"] = np.array("{not json")
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match="metadata is not valid JSON"):
        MLP.load(tmp_path / "bad.npz")


def test_relu_and_its_slope_agree_with_nudging():
    Z = np.array([[-2.0, -0.3, 0.4, 3.0]])
    assert relu(Z).tolist() == [[0.0, 0.0, 0.4, 3.0]]
    nudged = (relu(Z + 1e-6) - relu(Z - 1e-6)) / 2e-6
    np.testing.assert_allclose(relu_slope(Z), nudged, atol=1e-6)


def test_the_output_slope_is_p_minus_y_over_n_as_nudging_the_scores_shows():
    rng = np.random.default_rng(0)
    Z, y = rng.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    numeric = np.zeros_like(Z)
    for i in np.ndindex(Z.shape):
        up, down = Z.copy(), Z.copy()
        up[i] += 1e-6
        down[i] -= 1e-6
        numeric[i] = (cross_entropy(softmax(up), y) - cross_entropy(softmax(down), y)) / 2e-6
    np.testing.assert_allclose(softmax_cross_entropy_slope(softmax(Z), y), numeric, atol=1e-6)


# ---- hostile model files: every entry checked before anything large is read --------------------

def npy_header(shape, descr="<f4"):
    """The header of a .npy entry declaring an array of this shape (and no data after it)."""
    buf = io.BytesIO()
    np.lib.format.write_array_header_1_0(buf, {"descr": descr, "fortran_order": False, "shape": shape})
    return buf.getvalue()


def test_weights_too_large_for_float32_are_refused_not_turned_into_infinity(tmp_path):
    arrays = saved_arrays(tmp_path)
    arrays["W0"] = np.full(arrays["W0"].shape, 1e39)  # finite as float64, infinite as float32
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match="W0 contains .*too large for 32-bit floats"):
        MLP.load(tmp_path / "bad.npz")


def test_an_extra_entry_of_hundreds_of_megabytes_is_never_read(tmp_path):
    path = MLP((4, 3, 2), seed=1).save(tmp_path / "m.npz")
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        with z.open("extra.npy", "w", force_zip64=True) as f:
            f.write(npy_header((256 << 20,), "|u1"))
            for _ in range(256):
                f.write(bytes(1 << 20))           # 256 MiB of zeros, about 1 MB on disk
    tracemalloc.start()
    try:
        model = MLP.load(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert np.array_equal(model.params, MLP((4, 3, 2), seed=1).params) and peak < 1 << 20


def with_entry(tmp_path, name, raw):
    """A saved small model with one entry replaced by raw .npy bytes."""
    arrays = saved_arrays(tmp_path)
    path = tmp_path / "crafted.npz"
    with zipfile.ZipFile(path, "w") as z:
        for key, value in arrays.items():
            buf = io.BytesIO()
            np.save(buf, value)
            z.writestr(f"{key}.npy", raw if key == name else buf.getvalue())
    return path


@pytest.mark.parametrize("name, raw, words", [
    ("W0", npy_header((10 ** 6, 10 ** 6)), r"W0 has shape \(1000000, 1000000\), expected \(4, 3\)"),
    ("sizes", npy_header((3,), "<i8") + np.array([784, 10 ** 6, 10]).tobytes(), "more than the 20,000,000"),
    ("W0", npy_header((4, 3), "<U1") + "abcdefghijkl".encode("utf-32-le"), "type <U1, not numbers"),
    ("W0", npy_header((4, 3)) + bytes(12), "is 140 bytes long, but its header announces 176"),
    ("metadata", npy_header((), "<U2") + "[]".encode("utf-32-le"), "JSON object .*not a list"),
])
def test_a_crafted_entry_is_refused_in_plain_words_before_it_is_read(tmp_path, name, raw, words):
    path = with_entry(tmp_path, name, raw)
    with pytest.raises(ValueError, match=words):
        MLP.load(path)


def test_metadata_nested_thousands_deep_is_refused_plainly(tmp_path):
    arrays = saved_arrays(tmp_path)
    arrays["metadata"] = np.array('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}")
    np.savez(tmp_path / "deep.npz", **arrays)
    with pytest.raises(ValueError, match="nested more than 32 levels deep"):
        MLP.load(tmp_path / "deep.npz")


@pytest.mark.parametrize("content", [b"hello, I am a text file" * 10, b"\x93NUMPY\x01\x00" + b"v" * 100])
def test_a_file_that_is_not_a_model_gets_no_advice_to_unpickle_it(tmp_path, content):
    (tmp_path / "x.npz").write_bytes(content)
    with pytest.raises(ValueError, match="not a DigitLab model file") as error:
        MLP.load(tmp_path / "x.npz")
    assert "pickle" not in str(error.value)


def test_a_zip_listing_millions_of_entries_is_refused_before_its_directory_is_read(tmp_path):
    path = tmp_path / "many.npz"
    end_record = b"PK\x05\x06" + struct.pack("<4H2LH", 0, 0, 0xFFFF, 0xFFFF, 50_000_000, 0, 0)
    path.write_bytes(end_record)
    with pytest.raises(ValueError, match="lists 65,535 entries"):
        MLP.load(path)


# ---- labels and pixels checked on every path ----------------------------------------------------

def test_labels_of_another_length_or_outside_0_to_9_are_refused_when_scoring():
    from digitlab import evaluate

    model = MLP((784, 8, 10))
    X, y = np.zeros((1000, 784), np.float32), np.arange(1000) % 10
    for measure in (model.score, model.loss, lambda X, y: evaluate(model, X, y)):
        with pytest.raises(ValueError, match="got 1,000 images but 1 labels"):
            measure(X, y[:1])
        with pytest.raises(ValueError, match="whole numbers from 0 to 9"):
            measure(X[:2], np.array([-1, 3]))


def test_float_images_in_0_to_255_are_refused_with_a_hint_for_predict_and_fit():
    from digitlab import fit

    X = np.full((4, 28, 28), 200, np.uint8).astype(np.float32)  # the cast without / 255
    for action in (lambda: MLP().predict(X), lambda: fit(MLP(), X, [1, 2, 3, 4], epochs=1, progress=False)):
        with pytest.raises(ValueError, match="divide by 255"):
            action()


def test_validation_data_of_different_lengths_is_refused_before_the_first_epoch():
    from digitlab import fit

    seen = []
    with pytest.raises(ValueError, match="got 10 images but 3 validation labels"):
        fit(MLP((784, 4, 10)), np.zeros((20, 784), np.float32), np.zeros(20, int), epochs=1, progress=False,
            validation_data=(np.zeros((10, 784), np.float32), np.zeros(3, int)), callbacks=seen.append)
    assert seen == []


def test_predict_proba_in_batches_gives_what_one_forward_pass_gives():
    rng = np.random.default_rng(3)
    model = MLP((784, 16, 10), seed=2)
    X = rng.integers(0, 256, size=(25, 28, 28)).astype(np.uint8)
    whole = model.forward(X.reshape(25, 784).astype(np.float32) / 255)[-1]
    assert np.allclose(model.predict_proba(X, batch_size=7), whole, atol=1e-6)
    assert model.predict_proba(X[:0]).shape == (0, 10)
