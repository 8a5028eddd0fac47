"""Decoding: bad input refused with a clear VideoError, phone rotation undone, limits enforced."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backcheck.errors import VideoError
from backcheck.formcheck.decode import iter_frames, probe
from backcheck.formcheck.pipeline import run_video
from backcheck.formcheck.render import write_video
from backcheck.settings import load_settings


def _clip(path: Path, frames: int = 20, size: tuple[int, int] = (160, 96), fps: int = 10,
          rotation: int | None = None) -> Path:  # fmt: skip
    """A small H.264 clip of a moving grey gradient."""
    w, h = size
    images = [np.full((h, w, 3), 40 + 8 * i, np.uint8) for i in range(frames)]
    if rotation is None:
        write_video(path, images, fps, w, h)
        return path
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.set_display_rotation(rotation)
        for rgb in images:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(rgb, format="rgb24")))
        container.mux(stream.encode(None))
    return path


def test_a_good_clip_streams_every_frame_with_increasing_times(tmp_path):
    info = probe(_clip(tmp_path / "ok.mp4", frames=20))
    frames = list(iter_frames(info))
    assert [i for i, _, _ in frames] == list(range(20))
    times = [t for _, t, _ in frames]
    assert np.all(np.diff(times) > 0)
    assert frames[0][2].shape == (96, 160, 3)
    assert info.fps == pytest.approx(10.0)


def test_portrait_phone_video_is_turned_upright(tmp_path):
    info = probe(_clip(tmp_path / "portrait.mp4", size=(160, 96), rotation=90))
    assert info.rotation in (90, 270)
    _, _, first = next(iter(iter_frames(info)))
    assert first.shape == (160, 96, 3)
    assert (info.width, info.height) == (96, 160)


def test_text_file_renamed_mp4_is_refused(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("squat 100 kg x 5\n" * 50, encoding="utf-8")
    with pytest.raises(VideoError, match="not a readable video"):
        probe(fake)


def test_truncated_mp4_is_refused(tmp_path):
    whole = _clip(tmp_path / "whole.mp4", frames=30)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    with pytest.raises(VideoError, match=str(cut.name)):
        info = probe(cut)
        list(iter_frames(info))


def test_zero_frame_file_is_refused(tmp_path):
    empty = tmp_path / "empty.mp4"
    with av.open(str(empty), mode="w") as container:
        stream = container.add_stream("libx264", rate=10)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
    with pytest.raises(VideoError):
        probe(empty)


def test_missing_file_is_refused(tmp_path):
    with pytest.raises(VideoError, match="no such file"):
        probe(tmp_path / "nope.mp4")


def test_size_limit_is_enforced(tmp_path):
    clip = _clip(tmp_path / "ok.mp4")
    with pytest.raises(VideoError, match="MB limit"):
        probe(clip, load_settings({"max_video_mb": 0}))


def test_length_limit_is_enforced(tmp_path):
    clip = _clip(tmp_path / "long.mp4", frames=30, fps=10)  # 3 s
    with pytest.raises(VideoError, match="s limit"):
        probe(clip, load_settings({"max_video_seconds": 1}))


def test_blank_video_with_nobody_is_refused(tmp_path):
    clip = _clip(tmp_path / "blank.mp4", frames=12, size=(320, 240))
    with pytest.raises(VideoError, match="no person found"):
        run_video(clip)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(min_size=0, max_size=4000))
def test_any_bytes_give_a_video_error_or_frames(tmp_path, data):
    path = tmp_path / "random.mp4"
    path.write_bytes(data)
    try:
        info = probe(path)
        for _ in iter_frames(info):
            pass
    except VideoError as exc:
        assert str(path) in str(exc)
