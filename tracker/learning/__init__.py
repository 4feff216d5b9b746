"""What the practice learns from its cases: improvement actions and their list."""
