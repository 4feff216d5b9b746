"""Letters: the practice manager's letter templates, and a case's letters to print, download
and fetch again exactly as they were sent."""
