"""The guidance sidebar: staff guidance for the intake form and each stage, editable by the practice manager."""
