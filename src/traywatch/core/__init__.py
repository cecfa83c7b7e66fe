"""The pure model: no I/O, no Qt."""
