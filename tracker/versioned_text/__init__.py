"""Versioned text: a text the practice manager can change, every version kept with who and when,
the shipped text brought back at any time, and the page to do it on. The guidance and the letter
templates are its two registrations."""
