"""Streams: the materialised personal stream, fan-out tasks, repost dedupe and stream markers."""
