import pytest

from digitlab.plumbing.files import write_atomically


def test_a_write_that_fails_halfway_keeps_the_old_file_and_leaves_nothing_else(tmp_path):
    path = tmp_path / "model.npz"
    path.write_bytes(b"old")

    def fail_halfway(f):
        f.write(b"half of the new")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, fail_halfway)
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.npz"]


def test_a_finished_write_replaces_the_file_and_can_be_read_by_others(tmp_path):
    path = write_atomically(tmp_path / "drawing.json", lambda f: f.write(b"[1, 2]"))
    assert path.read_bytes() == b"[1, 2]"
    assert path.stat().st_mode & 0o044 == 0o044
    assert [p.name for p in tmp_path.iterdir()] == ["drawing.json"]
