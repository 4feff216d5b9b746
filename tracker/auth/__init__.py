"""Signing in and out, first-sign-in password change, and the role checks."""
