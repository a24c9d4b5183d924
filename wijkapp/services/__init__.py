"""Domain operations without HTTP. They add and flush; the caller commits."""
