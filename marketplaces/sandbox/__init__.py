"""Local stand-ins for the marketplaces' authorization servers and APIs (development, demos and
tests only): one subpackage per marketplace over shared token families and fault switches."""
