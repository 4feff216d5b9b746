"""Delivering the outbox (sender), the time-based reminders, the daily summary, and the
worker that runs them all in a loop."""
