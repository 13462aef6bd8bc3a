"""A stand-in's addresses as the hub's provider settings. Plain Python: the stand-ins'
``endpoints`` modules are read by the settings before Django is set up."""


def addresses(base_url: str, prefix: str, paths: dict[str, str]) -> dict[str, str]:
    """Each setting in ``paths`` pointing at its path under ``base_url + prefix``."""
    return {name: f"{base_url}{prefix}{path}" for name, path in paths.items()}
