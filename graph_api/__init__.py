"""copgraph: the knowledge graph of the community of practice around administrative innovation."""

from importlib.metadata import PackageNotFoundError, version

try:  # one version, the distribution's (pyproject.toml); shown by `copgraph --version` and the OpenAPI page
    __version__ = version("copgraph")
except PackageNotFoundError:  # a source tree used without `pip install -e .`
    __version__ = "0+unknown"
