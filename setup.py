"""Ship the top-level templates/ and migrations/ folders inside the package, as pyproject.toml cannot.

They become ``stadtnetz._templates`` and ``stadtnetz._migrations`` (``stadtnetz.resource_dir``
finds them in an installed wheel). Every folder is discovered, so a new module or template folder
needs no entry here; which files ship is set by ``[tool.setuptools.package-data]``.
"""

from setuptools import find_namespace_packages, setup

MAPPED = {"stadtnetz._templates": "templates", "stadtnetz._migrations": "migrations"}
NOT_PACKAGES = ["__pycache__", "*.__pycache__"]


def packages() -> list[str]:
    """The stadtnetz packages, then each mapped package with every folder below it."""
    found = find_namespace_packages(include=["stadtnetz", "stadtnetz.*"], exclude=NOT_PACKAGES)
    for package, folder in MAPPED.items():
        below = find_namespace_packages(folder, exclude=NOT_PACKAGES)
        found += [package, *(f"{package}.{name}" for name in below)]
    return found


setup(packages=packages(), package_dir=MAPPED)
