"""Fine-tuning on your own drawings: splitting, mixing, training a copy, comparing, stand-ins."""

import tracemalloc

import numpy as np
import pytest

from digitlab import MLP, DrawingStore, fit
from digitlab.drawing.canvas import canvas_to_mnist
from digitlab.drawing.strokes import rasterize_strokes
from digitlab.finetune import (
    accuracy_table, compare, copy_model, drawings_or_stand_in, fine_tune, mix_indices, stand_in_drawings,
    train_test_split_drawings,
)
from digitlab.plots import plot_comparison

SMALL = (784, 16, 10)


def bars(n, orientation, width, seed):
    """n images (n, 28, 28) of one straight bar each, at random places: 'h', 'v', '\\' or '/'."""
    rng = np.random.default_rng(seed)
    X = np.zeros((n, 28, 28), np.float32)
    for i in range(n):
        a, b = rng.integers(6, 22, size=2)
        start, end = {"h": ((4, a), (24, a)), "v": ((a, 4), (a, 24)),
                      "\\": ((4 + b % 4, 4), (24, 24 - b % 4)), "/": ((4 + b % 4, 24), (24, 4 + b % 4))}[orientation]
        pixels = rasterize_strokes([[start, end]], shape=(28, 28), width=width)
        X[i] = pixels / 255
    return X


def two_styles(n=60, seed=0):
    """Base digits 0 = horizontal bar, 1 = vertical bar; 'own' digits 0 = '\\', 1 = '/', thick."""
    X_base = np.concatenate([bars(n, "h", 2, seed), bars(n, "v", 2, seed + 1)])
    y_base = np.repeat([0, 1], n)
    X_own = np.concatenate([bars(n, "\\", 5, seed + 2), bars(n, "/", 5, seed + 3)])
    y_own = np.repeat([0, 1], n)
    return X_base, y_base, X_own, y_own


@pytest.fixture(scope="module")
def trained_on_base():
    X_base, y_base, _, _ = two_styles(seed=10)
    model = MLP(SMALL, seed=0)
    fit(model, X_base, y_base, epochs=15, lr=1e-2, progress=False)
    return model


def test_copy_model_shares_nothing_with_the_original():
    model = MLP(SMALL, seed=1)
    model.metadata = {"recipe": {"lr": 0.1}}
    twin = copy_model(model)
    assert twin.sizes == model.sizes and np.array_equal(twin.params, model.params)
    twin.params += 1
    twin.metadata["recipe"]["lr"] = 5
    assert not np.array_equal(twin.params, model.params)
    assert model.metadata == {"recipe": {"lr": 0.1}}


def test_fine_tune_never_changes_the_model_passed_in(trained_on_base):
    X_base, y_base, X_own, y_own = two_styles(n=20, seed=3)
    params, metadata = trained_on_base.params.copy(), dict(trained_on_base.metadata)
    new, history = fine_tune(trained_on_base, X_own, y_own, X_base, y_base, epochs=2, lr=1e-2)
    assert np.array_equal(trained_on_base.params, params) and trained_on_base.metadata == metadata
    assert not np.array_equal(new.params, params)
    assert len(history.loss) == 2
    assert new.metadata["fine_tuned"]["own_drawings"] == 40


def test_fine_tune_learns_the_new_style_and_keeps_the_old(trained_on_base):
    X_base, y_base, X_own, y_own = two_styles(n=40, seed=20)
    X_train, X_test, y_train, y_test = train_test_split_drawings(X_own, y_own, 0.5, seed=0)
    assert trained_on_base.score(X_base, y_base) > 0.95
    new, _ = fine_tune(trained_on_base, X_train, y_train, X_base, y_base, epochs=8, lr=3e-3, own_weight=0.5)
    assert new.score(X_test, y_test) > trained_on_base.score(X_test, y_test) + 0.15
    assert new.score(X_test, y_test) > 0.9
    assert new.score(X_base, y_base) > 0.95


def test_mix_gives_your_drawings_the_share_asked_for():
    own, base = mix_indices(n_own=30, n_base=700, own_weight=0.3, rng=np.random.default_rng(0))
    assert len(base) == 700
    assert len(own) / (len(own) + len(base)) == pytest.approx(0.3, abs=0.005)
    repeats = np.bincount(own, minlength=30)
    assert repeats.min() >= len(own) // 30 and repeats.max() - repeats.min() <= 1  # every drawing used evenly


def test_mix_with_weight_zero_or_one_uses_one_source_only():
    rng = np.random.default_rng(0)
    own, base = mix_indices(10, 50, 0.0, rng)
    assert len(own) == 0 and len(base) == 50
    own, base = mix_indices(10, 50, 1.0, rng)
    assert sorted(own) == list(range(10)) and len(base) == 0


def test_mix_never_leaves_out_any_of_your_drawings_even_with_a_small_weight():
    own, _ = mix_indices(n_own=50, n_base=100, own_weight=0.05, rng=np.random.default_rng(0))
    assert sorted(set(own.tolist())) == list(range(50))


@pytest.mark.parametrize("kwargs, words", [
    (dict(own_weight=1.5), "own_weight"),
    (dict(lr=0), "lr"),
    (dict(lr=-1e-3), "lr"),
])
def test_fine_tune_rejects_bad_settings_in_plain_words(trained_on_base, kwargs, words):
    X_base, y_base, X_own, y_own = two_styles(n=5)
    with pytest.raises(ValueError, match=words):
        fine_tune(trained_on_base, X_own, y_own, X_base, y_base, **kwargs)


def test_fine_tune_on_your_drawings_alone_needs_no_base_images(trained_on_base):
    _, _, X_own, y_own = two_styles(n=10)
    new, _ = fine_tune(trained_on_base, X_own, y_own, own_weight=1.0, epochs=1, lr=1e-3)
    assert new.metadata["fine_tuned"]["base_examples_per_epoch"] == 0
    with pytest.raises(ValueError, match="no base images"):
        fine_tune(trained_on_base, X_own, y_own)


def test_fine_tune_without_drawings_says_so(trained_on_base):
    X_base, y_base, _, _ = two_styles(n=5)
    with pytest.raises(ValueError, match="no drawings of yours"):
        fine_tune(trained_on_base, np.zeros((0, 28, 28)), np.zeros(0, int), X_base, y_base)


def test_fine_tune_rejects_labels_that_are_not_digits(trained_on_base):
    X_base, y_base, X_own, _ = two_styles(n=5)
    with pytest.raises(ValueError, match="0 to 9"):
        fine_tune(trained_on_base, X_own, np.full(len(X_own), 12), X_base, y_base)


def test_split_keeps_every_drawing_exactly_once_and_is_repeatable():
    X = np.random.default_rng(0).random((50, 28, 28)).astype(np.float32)
    y = np.arange(50) % 10
    X_train, X_test, y_train, y_test = train_test_split_drawings(X, y, 0.3, seed=4)
    assert len(y_train) + len(y_test) == 50
    assert np.bincount(y_test, minlength=10).tolist() == [2] * 10  # 30% of 5 drawings per digit, rounded
    together = np.concatenate([X_train, X_test]).reshape(50, -1)
    assert len(np.unique(together, axis=0)) == 50
    again = train_test_split_drawings(X, y, 0.3, seed=4)
    assert np.array_equal(again[1], X_test) and np.array_equal(again[3], y_test)


def test_split_puts_a_digit_with_a_single_drawing_in_training():
    X = np.random.default_rng(0).random((7, 28, 28)).astype(np.float32)
    y = np.array([3, 3, 3, 3, 3, 3, 8])
    _, _, y_train, y_test = train_test_split_drawings(X, y, 0.5, seed=0)
    assert 8 in y_train and 8 not in y_test
    assert sorted(y_test.tolist()) == [3, 3, 3]


def test_split_always_keeps_at_least_one_drawing_on_each_side():
    X = np.zeros((2, 28, 28), np.float32)
    _, _, y_train, y_test = train_test_split_drawings(X, [4, 5], 0.3, seed=0)
    assert len(y_train) == 1 and len(y_test) == 1


@pytest.mark.parametrize("fraction", [0, 1, -0.2, 1.5])
def test_split_rejects_a_fraction_outside_zero_to_one(fraction):
    with pytest.raises(ValueError, match="test_fraction"):
        train_test_split_drawings(np.zeros((10, 28, 28)), np.arange(10), fraction)


def test_split_needs_two_drawings():
    with pytest.raises(ValueError, match="at least 2"):
        train_test_split_drawings(np.zeros((1, 28, 28)), [1])


def test_compare_reports_each_models_accuracy_and_the_change(trained_on_base):
    X_base, y_base, X_own, y_own = two_styles(n=15, seed=5)
    other = MLP(SMALL, seed=7)
    table = compare(trained_on_base, other, {"base": (X_base, y_base), "own": (X_own, y_own)})
    assert table["set"] == ["base", "own"] and table["images"] == [30, 30]
    assert table.row("base")["before"] == pytest.approx(trained_on_base.score(X_base, y_base))
    assert table.row("own")["after"] == pytest.approx(other.score(X_own, y_own))
    for row in table.rows:
        assert row["change"] == pytest.approx(row["after"] - row["before"])
    assert "before" in str(table) and "%" in str(table)


def test_compare_needs_a_set():
    with pytest.raises(ValueError, match="at least one"):
        compare(MLP(SMALL), MLP(SMALL), {})


def test_plot_comparison_draws_two_bars_per_set(trained_on_base):
    X_base, y_base, X_own, y_own = two_styles(n=5)
    table = compare(trained_on_base, MLP(SMALL), {"base": (X_base, y_base), "own": (X_own, y_own)})
    fig = plot_comparison(table)
    assert len(fig.axes[0].patches) == 4


def pool(n=30):
    """Synthetic 'MNIST' digits made from strokes: 0 = a ring, 1 = a bar, 7 = bar and leg."""
    shapes = {0: [[(140 + 60 * np.sin(a), 140 - 90 * np.cos(a)) for a in np.linspace(0, 2 * np.pi, 30)]],
              1: [[(140, 40), (140, 240)]],
              7: [[(70, 60), (210, 60), (120, 240)]]}
    labels = np.array([list(shapes)[i % 3] for i in range(n)])
    images = np.stack([canvas_to_mnist(rasterize_strokes(shapes[d], width=22)) for d in labels])
    return (images * 255).round().astype(np.uint8), labels


def test_stand_ins_are_redrawn_digits_with_the_pools_labels():
    images, labels = pool()
    X, y = stand_in_drawings(12, seed=1, pool=(images, labels))
    assert X.shape == (12, 28, 28) and X.dtype == np.float32
    assert 0 <= X.min() and X.max() <= 1 and (X.reshape(12, -1).max(axis=1) > 0.5).all()
    assert set(y.tolist()) <= {0, 1, 7}
    X2, y2 = stand_in_drawings(12, seed=1, pool=(images, labels))
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not any(np.array_equal(x, images[i] / 255) for x in X for i in range(len(images)))


def test_stand_ins_refuse_more_than_the_pool_holds():
    with pytest.raises(ValueError, match="between 1 and the 30"):
        stand_in_drawings(31, pool=pool())


def test_your_drawings_are_used_once_there_are_enough(tmp_path):
    store = DrawingStore(tmp_path)
    images, labels = pool(21)
    for image, label in zip(images, labels):
        store.add(image / 255, int(label))
    X, y, source = drawings_or_stand_in(store, min_count=20, pool=pool())
    assert len(y) == 21 and sorted(y.tolist()) == sorted(labels.tolist())
    assert source.startswith("your 21 drawings") and str(tmp_path) in source


def test_too_few_drawings_bring_stand_ins_and_say_so_plainly(tmp_path):
    store = DrawingStore(tmp_path)
    images, labels = pool(5)
    for image, label in zip(images, labels):
        store.add(image / 255, int(label))
    X, y, source = drawings_or_stand_in(store, min_count=20, n_stand_in=10, pool=pool())
    assert len(y) == 10
    assert "STAND-INS" in source and "only 5 drawings" in source and "fewer than 20" in source
    assert len(store) == 5  # nothing was added to or removed from the collection


def test_data_folder_from_the_environment_is_used_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path))
    _, _, source = drawings_or_stand_in(min_count=1, n_stand_in=3, pool=pool())
    assert str(tmp_path / "custom") in source and "only 0 drawings" in source


# ---- memory stays bounded ------------------------------------------------------------------------

def peak_bytes(action):
    """Peak bytes Python and numpy allocated while action() ran (its exception, if any, is passed on)."""
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("own_weight", [0.99, 0.999999])
def test_an_own_weight_near_one_keeps_the_epoch_within_twice_the_images_given(own_weight):
    own, base = mix_indices(n_own=30, n_base=60_000, own_weight=own_weight, rng=np.random.default_rng(0))
    assert len(own) + len(base) <= 2 * (30 + 60_000)
    assert len(own) / (len(own) + len(base)) == pytest.approx(own_weight, abs=1e-4)
    assert np.ptp(np.bincount(own, minlength=30)) <= 1 and len(set(base.tolist())) == len(base)


def test_fine_tuning_with_an_own_weight_near_one_takes_bounded_memory(trained_on_base):
    X_base, y_base, X_own, y_own = two_styles(n=20, seed=4)
    X_base = np.tile((X_base * 255).astype(np.uint8), (25, 1, 1))  # 1,000 base images, as MNIST stores them
    y_base = np.tile(y_base, 25)
    peak = peak_bytes(lambda: fine_tune(trained_on_base, X_own, y_own, X_base, y_base, own_weight=0.999999,
                                        epochs=1, lr=1e-3, batch_size=256))
    epoch = 2 * (1000 + 40) * 784 * 4  # the largest epoch allowed, as float32 images
    assert peak < 2 * epoch + (4 << 20)  # the epoch and one part of it being copied in, and a little more


@pytest.mark.parametrize("setting, words", [(dict(batch_size=1e9), "batch_size"), (dict(batch_size=0), "batch_size"),
                                            (dict(epochs=0), "epochs"), (dict(own_weight="most"), "own_weight")])
def test_fine_tune_checks_its_settings_before_taking_any_memory(trained_on_base, setting, words):
    X_base = np.zeros((20_000, 28, 28), np.uint8)  # 16 MB; as float32, 63 MB
    with pytest.raises(ValueError, match=words):
        peak_bytes(lambda: fine_tune(trained_on_base, X_base[:10], np.zeros(10, int), X_base, np.zeros(20_000, int),
                                     **setting))
    assert peak_bytes(lambda: pytest.raises(ValueError, fine_tune, trained_on_base, X_base[:10], np.zeros(10, int),
                                            X_base, np.zeros(20_000, int), **setting)) < 1 << 20


def test_files_that_cannot_be_read_do_not_count_as_your_drawings(tmp_path):
    for i in range(20):
        (tmp_path / str(i % 10)).mkdir(exist_ok=True)
        (tmp_path / str(i % 10) / f"20200101-000000-{i:012d}.png").write_bytes(b"")
    with pytest.warns(UserWarning, match="cannot read it"):
        X, y, source = drawings_or_stand_in(DrawingStore(tmp_path), min_count=20, n_stand_in=6, pool=pool())
    assert len(y) == 6 and "STAND-INS: only 0 drawings" in source


def test_an_accuracy_table_names_its_columns_and_counts_the_change_in_points():
    table = accuracy_table([("ana", 4, 0.5, 0.75)], "student", ("shipped", "class"), title="Held out")
    assert table.columns == ["student", "images", "shipped", "class", "points"] and table.title == "Held out"
    assert table.row("ana")["points"] == pytest.approx(25.0)
    assert "+25.0" in str(table) and "75.0%" in str(table)
