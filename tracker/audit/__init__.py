"""The append-only record of everything that happens: who, when, what, from and to."""
