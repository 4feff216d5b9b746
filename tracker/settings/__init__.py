"""Practice-wide settings kept in the database, edited by the practice manager."""
