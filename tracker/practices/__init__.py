"""Practices, the PCNs they belong to, the people who work in each, and the wall between
practices: which practice a request, a command or a job is working in, and the one mechanism
that keeps every read and write of a practice's records inside it."""
