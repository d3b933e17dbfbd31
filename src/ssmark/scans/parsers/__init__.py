"""One module per report format; each exposes `parse(source, naive_tz) -> Report`."""
