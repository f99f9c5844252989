"""The distribution's package layout; every other piece of metadata lives in pyproject.toml.

The repository keeps `loaders/` at its top level (the product's documented layout), but an
installed copgraph must not claim a generic top-level import name such as `loaders`. So the
folder is installed as `graph_api.loaders`. pyproject.toml can map a folder to a package name
but cannot combine that mapping with package discovery; computing the list here means a new
subpackage (of `graph_api/` or of a mapped folder) ships without anyone editing a list.
"""

from setuptools import find_packages, setup

# package name in the distribution -> folder in the repository
MAPPED_FOLDERS = {"graph_api.loaders": "loaders"}

# non-Python files each package needs at run time, found through importlib.resources
PACKAGE_DATA = {
    "graph_api": ["schema.graphql", "static/**/*"],
    "graph_api.loaders": ["oparl_schema/*"],
}


def _packages() -> list[str]:
    packages = find_packages(include=["graph_api", "graph_api.*"])
    for name, folder in MAPPED_FOLDERS.items():
        packages += [name, *(f"{name}.{sub}" for sub in find_packages(folder))]
    return packages


setup(packages=_packages(), package_dir=MAPPED_FOLDERS, package_data=PACKAGE_DATA)
