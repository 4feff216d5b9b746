"""Staff accounts: the people who sign in, their roles and their passwords."""
