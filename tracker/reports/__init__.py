"""Monthly figures, the annual complaints return and the CSV downloads for the practice manager."""
