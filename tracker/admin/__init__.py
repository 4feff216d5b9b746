"""The practice manager's pages under /admin: staff accounts, practice settings, the audit log."""
