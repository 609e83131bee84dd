"""safetensors read and written with numpy alone: a hand-written file parsed exactly, the writer's
bytes, and damaged or hostile files refused by name in one line, before any large allocation."""

import json
import os
import struct

import numpy as np
import pytest

from nnviz.core.safetensors import (
    MAX_HEADER_BYTES,
    SafetensorsError,
    encode_safetensors,
    read_safetensors,
    write_safetensors,
)


def file_bytes(header: dict | bytes, data: bytes = b"", length: int | None = None) -> bytes:
    text = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack("<Q", len(text) if length is None else length) + text + data


def refused(tmp_path, content: bytes, *words, max_values: int = 1000) -> str:
    path = tmp_path / "model.safetensors"
    path.write_bytes(content)
    with pytest.raises(SafetensorsError) as exc:
        read_safetensors(path, max_values)
    message = str(exc.value)
    assert message.startswith(f"{path}: ") and "\n" not in message
    for word in words:
        assert word in message, message
    return message


def test_a_hand_written_file_is_read_exactly(tmp_path):
    f64 = struct.pack("<3d", 0.1, -2.5, 1e-300)
    f32 = struct.pack("<2f", 1.5, -0.25)
    f16 = bytes([0x00, 0x38, 0x00, 0xC0])      # 0.5, -2.0 as IEEE half
    bf16 = bytes([0x80, 0x3F, 0x49, 0x40])     # 1.0, 3.140625 as bfloat16
    data = f64 + f32 + f16 + bf16
    header = {
        "__metadata__": {"format": "pt", "note": "hand-written"},
        "a": {"dtype": "F64", "shape": [3], "data_offsets": [0, 24]},
        "b": {"dtype": "F32", "shape": [1, 2], "data_offsets": [24, 32]},
        "c": {"dtype": "F16", "shape": [2], "data_offsets": [32, 36]},
        "d": {"dtype": "BF16", "shape": [2, 1], "data_offsets": [36, 40]},
        "empty": {"dtype": "F32", "shape": [0, 4], "data_offsets": [40, 40]},
    }
    path = tmp_path / "hand.safetensors"
    path.write_bytes(file_bytes(header, data))
    tensors, metadata = read_safetensors(path, 100)
    assert metadata == {"format": "pt", "note": "hand-written"}
    assert list(tensors) == ["a", "b", "c", "d", "empty"]
    assert all(t.dtype == np.float64 for t in tensors.values())
    assert tensors["a"].tolist() == [0.1, -2.5, 1e-300]
    assert tensors["b"].tolist() == [[1.5, -0.25]]
    assert tensors["c"].tolist() == [0.5, -2.0]
    assert tensors["d"].tolist() == [[1.0], [3.140625]]
    assert tensors["empty"].shape == (0, 4)


def test_the_writer_writes_the_format(tmp_path):
    w = np.arange(6, dtype=np.float64).reshape(2, 3) / 7
    b = np.array([-0.0, 1e-310])
    data = encode_safetensors({"0.weight": w, "0.bias": b}, {"cost": "quadratic"})
    (n,) = struct.unpack("<Q", data[:8])
    assert n % 8 == 0  # padded with spaces, as the reference implementation does
    header = json.loads(data[8:8 + n])
    assert header == {"__metadata__": {"cost": "quadratic"},
                      "0.weight": {"dtype": "F64", "shape": [2, 3], "data_offsets": [0, 48]},
                      "0.bias": {"dtype": "F64", "shape": [2], "data_offsets": [48, 64]}}
    assert data[8 + n:] == w.astype("<f8").tobytes() + b.astype("<f8").tobytes()
    path = tmp_path / "out.safetensors"
    write_safetensors(path, {"0.weight": w, "0.bias": b}, {"cost": "quadratic"})
    assert path.read_bytes() == data
    assert os.listdir(tmp_path) == ["out.safetensors"]
    tensors, _ = read_safetensors(path, 100)
    assert tensors["0.weight"].tobytes() == w.tobytes() and tensors["0.bias"].tobytes() == \
        b.tobytes()  # bit-identical, -0.0 and the subnormal included
    single = encode_safetensors({"x": w}, dtype="float32")
    assert b'"dtype":"F32"' in single and single.endswith(w.astype("<f4").tobytes())
    with pytest.raises(ValueError, match="unknown dtype"):
        encode_safetensors({"x": w}, dtype="float16")


def test_a_failed_write_keeps_the_old_file(tmp_path):
    path = tmp_path / "out.safetensors"
    path.write_bytes(b"old")
    with pytest.raises(ValueError):
        write_safetensors(path, {"x": np.zeros(2)}, {"bad": 3})
    with pytest.raises(OSError):
        write_safetensors(tmp_path / "missing" / "x.safetensors", {"x": np.zeros(2)})
    assert path.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.safetensors"]


GOOD = {"x": {"dtype": "F64", "shape": [2], "data_offsets": [0, 16]}}


def entry(**changes) -> dict:
    return {"x": {**GOOD["x"], **changes}}


@pytest.mark.parametrize("content,words", [
    (b"\x01\x02", ["only 2 bytes"]),
    (file_bytes(GOOD, bytes(16), length=2**63), ["header length 9,223,372,036,854,775,808",
                                                 f"at most {MAX_HEADER_BYTES:,}"]),
    (file_bytes(GOOD, bytes(16), length=5000), ["truncated", "header length 5,000"]),
    (file_bytes(b"\xff\xfe{}"), ["not UTF-8"]),
    (file_bytes(b"{not json"), ["not valid JSON"]),
    (file_bytes(b"[1, 2]"), ["not a JSON object"]),
    (file_bytes(b"[" * 100_000), ["nested too deeply"]),
    (file_bytes(b'{"x": {}, "x": {}}'), ["'x' appears twice"]),
    (file_bytes({"__metadata__": {"a": 1}}), ["bad __metadata__"]),
    (file_bytes({"x": [1]}), ["entry 'x' is not an object"]),
    (file_bytes(entry(dtype="I64"), bytes(16)), ["'x' has dtype I64, not floating point",
                                                 "F64, F32, F16, BF16"]),
    (file_bytes(entry(dtype="F128"), bytes(16)), ["unknown dtype 'F128'"]),
    (file_bytes(entry(dtype=None), bytes(16)), ["unknown dtype None"]),
    (file_bytes(entry(shape=[-2]), bytes(16)), ["bad shape [-2]"]),
    (file_bytes(entry(shape=[2.0]), bytes(16)), ["bad shape [2.0]"]),
    (file_bytes(entry(shape=[True, 2]), bytes(16)), ["bad shape"]),
    (file_bytes(entry(shape="2"), bytes(16)), ["bad shape '2'"]),
    (file_bytes(entry(shape=[1] * 9), bytes(16)), ["at most 8"]),
    (file_bytes(entry(shape=[3]), bytes(16)), ["shape (3,) and dtype F64 needs 24 bytes",
                                              "has 16"]),
    (file_bytes(entry(shape=[10**12, 10**12]), bytes(16)), ["needs", "has 16"]),
    (file_bytes(entry(data_offsets=[0, 24]), bytes(16)), ["bytes 0 to 24, outside the 16"]),
    (file_bytes(entry(data_offsets=[8, 0]), bytes(16)), ["outside"]),
    (file_bytes(entry(data_offsets=[-16, 0]), bytes(16)), ["outside"]),
    (file_bytes(entry(data_offsets=[0]), bytes(16)), ["bad data_offsets [0]"]),
    (file_bytes(entry(data_offsets=[0, 16.0]), bytes(16)), ["bad data_offsets"]),
    (file_bytes({**GOOD, "y": {"dtype": "F32", "shape": [2], "data_offsets": [8, 16]}},
                bytes(16)), ["'x' and 'y' overlap"]),
    (file_bytes(GOOD, struct.pack("<2d", 1.0, float("nan"))), ["'x' contains NaN"]),
    (file_bytes(entry(dtype="F16", shape=[2], data_offsets=[0, 4]),
                bytes([0, 0, 0, 0x7C])), ["contains NaN or infinite"]),  # +inf as half
    (file_bytes({"x" * 5000: GOOD["x"]}, struct.pack("<2d", 0, float("inf"))), ["…"]),
])
def test_damaged_and_hostile_files_are_refused_by_name(content, words, tmp_path):
    message = refused(tmp_path, content, *words)
    assert len(message) < 400 + len(str(tmp_path))


def test_too_many_numbers_are_refused_before_reading_them(tmp_path):
    header = {"a": {"dtype": "F64", "shape": [3], "data_offsets": [0, 24]},
              "b": {"dtype": "F64", "shape": [3], "data_offsets": [24, 48]}}
    refused(tmp_path, file_bytes(header, bytes(48)), "more than 5 numbers", max_values=5)


def test_a_missing_or_unreadable_path(tmp_path):
    for path, words in ((tmp_path / "nope.safetensors", "no such file"),
                        (tmp_path, "is a folder")):
        with pytest.raises(SafetensorsError, match=words):
            read_safetensors(path, 10)
