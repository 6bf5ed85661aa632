"""Text stages: read (bytes -> Document), html, normalize (with an offset map), segment, numerals, lexicon."""
