"""Reading and validating a stack's configuration, before any resource exists."""
