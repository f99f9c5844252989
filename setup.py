"""The distribution's package layout; every other piece of metadata lives in pyproject.toml.

The repository keeps `loaders/`, `queries/`, `ontology/` and `data/sample/` at its top level
(the product's documented layout), but an installed copgraph must not claim generic top-level
import names such as `loaders`, and its data must travel with it. So each folder is installed
under `graph_api` and found at run time through `importlib.resources` (`graph_api/resources.py`).

pyproject.toml can map a folder to a package name but cannot combine that mapping with package
discovery; computing the list here means a new subpackage (of `graph_api/` or of a mapped folder)
ships without anyone editing a list.
"""

from setuptools import find_packages, setup

# package name in the distribution -> folder in the repository
MAPPED_FOLDERS = {
    "graph_api.loaders": "loaders",
    "graph_api.queries": "queries",
    "graph_api.ontology": "ontology",
    "graph_api.sample_data": "data/sample",
}

# non-Python files each package needs at run time, found through importlib.resources
PACKAGE_DATA = {
    "graph_api": ["schema.graphql", "static/**/*"],
    "graph_api.loaders": ["oparl_schema/*"],
    "graph_api.loaders.publiccode": ["data/*"],
    "graph_api.queries": ["*.cypher", "README.md"],
    "graph_api.ontology": ["*.ttl", "*.jsonld"],
    "graph_api.sample_data": ["**/*"],
}
# a source checkout's byte-code must not ride along with the data folders
EXCLUDED_DATA = {"": ["__pycache__/*", "*.pyc"]}


def _packages() -> list[str]:
    packages = find_packages(include=["graph_api", "graph_api.*"])
    for name, folder in MAPPED_FOLDERS.items():
        packages += [name, *(f"{name}.{sub}" for sub in find_packages(folder))]
    return packages


# include_package_data=False: the data is exactly PACKAGE_DATA, not whatever git or a manifest holds
# (and setuptools stops warning that data folders such as sample_data/curated look like packages)
setup(packages=_packages(), package_dir=MAPPED_FOLDERS, package_data=PACKAGE_DATA,
      exclude_package_data=EXCLUDED_DATA, include_package_data=False)
