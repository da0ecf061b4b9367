"""Channels and messages: App.net's private messages, chat rooms and broadcast channels, which
pnut calls the same and diaspora calls conversations. One set of rows for the three dialects."""
