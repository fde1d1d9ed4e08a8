"""Django-free helpers: environment parsing, masking, working-day arithmetic."""
