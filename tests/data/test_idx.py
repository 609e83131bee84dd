"""Tests for nnviz.data.idx: reading the bundled files, round trips, and every error case."""

import gzip
import struct
from pathlib import Path

import numpy as np
import pytest

from nnviz.data.idx import IDX_TYPES, IDXError, read_idx, write_idx

ASSETS = Path(__file__).resolve().parents[2] / "assets" / "mnist"


def idx_bytes(type_code: int, shape: tuple[int, ...], body: bytes) -> bytes:
    """A hand-made IDX file: header for ``type_code`` and ``shape`` followed by ``body``."""
    return struct.pack(f">BBBB{len(shape)}I", 0, 0, type_code, len(shape), *shape) + body


def expect_error(path: Path, *fragments: str) -> str:
    """Assert read_idx(path) raises IDXError naming the file and containing ``fragments``."""
    with pytest.raises(IDXError) as info:
        read_idx(path)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return message


def sample_array(dtype: np.dtype, shape: tuple[int, ...]) -> np.ndarray:
    """Values covering the dtype's extremes, shape ``shape``."""
    dtype = np.dtype(dtype)
    n = int(np.prod(shape))
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        values = np.linspace(info.min, info.max, n).round().astype(dtype)
        values[:2] = [info.min, info.max][: min(n, 2)]
    else:
        values = np.linspace(-1e3, 1e3, n).astype(dtype)
        values[:3] = [np.finfo(dtype).max, np.finfo(dtype).tiny, -np.inf][: min(n, 3)]
    return values.reshape(shape)


# --- the bundled MNIST files ----------------------------------------------------------------


def test_bundled_test_images_and_labels():
    images = read_idx(ASSETS / "t10k-images-idx3-ubyte.gz")
    labels = read_idx(ASSETS / "t10k-labels-idx1-ubyte.gz")
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.dtype == np.uint8
    assert images.min() == 0 and images.max() == 255
    expected = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert np.bincount(labels, minlength=10).tolist() == expected
    # Border pixels of MNIST digits are blank; the centre is not.
    assert images[:, 0, :].max() == 0
    assert images[:, 10:18, 10:18].mean() > 50


def test_bundled_train_labels():
    labels = read_idx(ASSETS / "train-labels-idx1-ubyte.gz")
    expected = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(labels, minlength=10).tolist() == expected


def test_result_is_writeable_and_native(tmp_path):
    path = tmp_path / "a.idx"
    write_idx(path, np.arange(6, dtype=np.int32).reshape(2, 3))
    array = read_idx(path)
    assert array.flags.writeable and array.dtype.isnative
    array[0, 0] = 42  # must not raise


# --- round trips ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".idx", ".idx.gz"])
@pytest.mark.parametrize("shape", [(7,), (3, 4, 5), (2, 1, 3, 2)])
@pytest.mark.parametrize("type_code", sorted(IDX_TYPES))
def test_round_trip(tmp_path, type_code, shape, suffix):
    dtype = IDX_TYPES[type_code].newbyteorder("=")
    array = sample_array(dtype, shape)
    path = tmp_path / f"data{suffix}"
    write_idx(path, array)
    raw = path.read_bytes()
    assert raw.startswith(b"\x1f\x8b") == suffix.endswith(".gz")
    content = gzip.decompress(raw) if suffix.endswith(".gz") else raw
    assert content[:4] == bytes([0, 0, type_code, len(shape)])
    back = read_idx(path)
    assert back.dtype == dtype and back.dtype.isnative
    assert back.shape == shape
    np.testing.assert_array_equal(back, array)


def test_round_trip_of_big_endian_input_and_empty_dimension(tmp_path):
    array = np.array([[1, -2], [300, -40000]], dtype=">i4")
    write_idx(tmp_path / "be.idx", array)
    np.testing.assert_array_equal(read_idx(tmp_path / "be.idx"), array)
    write_idx(tmp_path / "empty.idx", np.zeros((0, 28, 28), np.uint8))
    assert read_idx(tmp_path / "empty.idx").shape == (0, 28, 28)


def test_bytes_on_disk_are_big_endian(tmp_path):
    path = tmp_path / "small.idx"
    write_idx(path, np.array([1, -2], dtype=np.int16))
    assert path.read_bytes() == bytes.fromhex("00000B01 00000002 0001 FFFE")


def test_hand_made_file_is_read(tmp_path):
    path = tmp_path / "hand.idx"
    path.write_bytes(idx_bytes(0x0D, (2, 2), struct.pack(">4f", 0.5, -1.0, 2.0, 3.25)))
    np.testing.assert_array_equal(read_idx(path), [[0.5, -1.0], [2.0, 3.25]])
    assert read_idx(path).dtype == np.float32


def test_gzip_detected_by_content_not_name(tmp_path):
    array = np.arange(10, dtype=np.uint8)
    compressed, raw = tmp_path / "compressed.idx", tmp_path / "raw.gz"
    compressed.write_bytes(gzip.compress(idx_bytes(0x08, (10,), array.tobytes())))
    raw.write_bytes(idx_bytes(0x08, (10,), array.tobytes()))
    np.testing.assert_array_equal(read_idx(compressed), array)
    np.testing.assert_array_equal(read_idx(raw), array)


def test_write_rejects_unsupported_arrays(tmp_path):
    path = tmp_path / "bad.idx"
    for array in (np.arange(3, dtype=np.int64), np.zeros(2, bool), np.zeros(2, np.float16)):
        with pytest.raises(IDXError, match="cannot be stored") as info:
            write_idx(path, array)
        assert str(path) in str(info.value)
    with pytest.raises(IDXError, match="dimensions"):
        write_idx(path, np.uint8(3))
    assert not path.exists()


def test_write_to_missing_folder(tmp_path):
    path = tmp_path / "no" / "such" / "folder.idx"
    with pytest.raises(IDXError, match="cannot write") as info:
        write_idx(path, np.zeros(3, np.uint8))
    assert str(path) in str(info.value)


# --- errors ---------------------------------------------------------------------------------


def test_wrong_magic(tmp_path):
    path = tmp_path / "magic.idx"
    path.write_bytes(b"\x01\x00\x08\x01" + struct.pack(">I", 1) + b"\x00")
    expect_error(path, "not an IDX file")


def test_text_file_is_not_idx(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not an IDX file")
    expect_error(path, "not an IDX file")


def test_unknown_type_code(tmp_path):
    path = tmp_path / "type.idx"
    path.write_bytes(idx_bytes(0x0A, (2,), b"\x00\x00"))
    expect_error(path, "unknown IDX type code 0x0A")


def test_zero_dimensions(tmp_path):
    path = tmp_path / "zero.idx"
    path.write_bytes(b"\x00\x00\x08\x00\x05")
    expect_error(path, "0 dimensions")


def test_header_shorter_than_dimensions(tmp_path):
    path = tmp_path / "header.idx"
    path.write_bytes(b"\x00\x00\x08\x03" + struct.pack(">I", 60000) + b"\x00\x00")
    expect_error(path, "header truncated", "3 dimensions")


@pytest.mark.parametrize("content", [b"", b"\x00\x00\x08"])
def test_file_shorter_than_any_header(tmp_path, content):
    path = tmp_path / "tiny.idx"
    path.write_bytes(content)
    expect_error(path, "too short")


@pytest.mark.parametrize("compress", [False, True])
def test_truncated_data(tmp_path, compress):
    content = idx_bytes(0x0C, (2, 3), np.arange(6, dtype=">i4").tobytes()[:-1])
    path = tmp_path / ("trunc.idx.gz" if compress else "trunc.idx")
    path.write_bytes(gzip.compress(content) if compress else content)
    expect_error(path, "data truncated", "24 bytes", "only 23")


@pytest.mark.parametrize("compress", [False, True])
def test_trailing_bytes(tmp_path, compress):
    content = idx_bytes(0x08, (4,), b"\x01\x02\x03\x04" + b"\x00\x00")
    path = tmp_path / ("trail.idx.gz" if compress else "trail.idx")
    path.write_bytes(gzip.compress(content) if compress else content)
    expect_error(path, "2 trailing bytes")


def test_every_truncation_of_a_raw_file_is_an_error(tmp_path):
    content = idx_bytes(0x0B, (3, 2), np.arange(6, dtype=">i2").tobytes())
    path = tmp_path / "cut.idx"
    for length in range(len(content)):
        path.write_bytes(content[:length])
        expect_error(path)


def test_every_truncation_of_a_gzip_stream_is_an_error(tmp_path):
    content = gzip.compress(idx_bytes(0x08, (50,), bytes(range(50))))
    path = tmp_path / "cut.idx.gz"
    for length in range(2, len(content)):
        path.write_bytes(content[:length])
        expect_error(path)


def test_truncated_gzip_stream_message(tmp_path):
    content = gzip.compress(idx_bytes(0x08, (1000,), bytes(1000)))
    path = tmp_path / "half.idx.gz"
    path.write_bytes(content[: len(content) - 4])
    expect_error(path, "gzip")


def test_bad_gzip_crc(tmp_path):
    content = bytearray(gzip.compress(idx_bytes(0x08, (4,), b"\x01\x02\x03\x04")))
    content[-8] ^= 0xFF  # first byte of the CRC32 in the gzip trailer
    path = tmp_path / "crc.idx.gz"
    path.write_bytes(bytes(content))
    expect_error(path, "corrupt gzip stream")


def test_corrupt_deflate_data(tmp_path):
    content = bytearray(gzip.compress(idx_bytes(0x08, (200,), bytes(range(200))), mtime=0))
    for i in range(10, len(content) - 8):
        content[i] ^= 0x5A
    path = tmp_path / "garbled.idx.gz"
    path.write_bytes(bytes(content))
    expect_error(path, "gzip")


def test_gzip_magic_without_gzip_stream(tmp_path):
    path = tmp_path / "fake.idx"
    path.write_bytes(b"\x1f\x8b" + bytes(30))
    expect_error(path, "gzip")


def test_missing_file(tmp_path):
    expect_error(tmp_path / "nowhere.idx.gz", "not found")


def test_directory_instead_of_file(tmp_path):
    expect_error(tmp_path, "directory")


def test_header_and_data_fuzz_never_raise_other_errors(tmp_path):
    """Flipping any single byte gives either a correctly sized array or an IDXError."""
    content = idx_bytes(0x08, (2, 3), bytes(range(6)))
    path = tmp_path / "fuzz.idx"
    for i in range(len(content)):
        for value in (0x00, 0x01, 0x0E, 0x1F, 0xFF):
            corrupted = bytearray(content)
            corrupted[i] = value
            path.write_bytes(bytes(corrupted))
            try:
                array = read_idx(path)
            except IDXError as exc:
                assert str(path) in str(exc)
            else:
                assert array.nbytes == len(corrupted) - 4 - 4 * array.ndim
