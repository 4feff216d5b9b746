"""Queues and the working-day clocks that say what is due and what is overdue."""
