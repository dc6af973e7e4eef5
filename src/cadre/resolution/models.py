"""Identity-resolution models (match candidates, merges that can be undone)."""
