"""The one settings object: store, limits, time limits, pool sizes and tokens, read once at start-up.

`Settings()` reads the environment when it is made (the CLI and `create_app` make it once, then
override fields from flags); nothing reads the environment at import time, and handlers get the
same object through `graph_api.http.deps.SettingsDep`. pydantic-settings does the reading and
the type checks, so a bad value (`COPGRAPH_RATE_LIMIT=fast`) stops the start with the variable's
name instead of failing later in a request.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from graph_api.resources import SAMPLE_DATA_DIR

# the source checkout (tests and developer tools only: an installed copgraph has no such folder)
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = SAMPLE_DATA_DIR
DEFAULT_BASE_IRI = "https://copgraph.example.org/"
MiB = 1 << 20

# The name a caller presenting COPGRAPH_API_TOKEN is known by (in logs and change records).
API_TOKEN_NAME = "api-token"
_TOKEN_NAME = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# how the analysts' query workers rank for the CPU against the server (what each means: graph_api/sandbox/priority.py)
WorkerPriority = Literal["normal", "low", "idle"]


class Settings(BaseSettings):
    """Every field can be set by the environment variable `COPGRAPH_<FIELD>` unless it names another."""

    model_config = SettingsConfigDict(env_prefix="COPGRAPH_", frozen=True, populate_by_name=True,
                                      extra="ignore")

    # ---- the store
    store: str = "ladybug"
    db_path: str = Field("./copgraph.lbdb", validation_alias="COPGRAPH_DB")
    neo4j_uri: str | None = Field(None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str = Field("", validation_alias="NEO4J_PASSWORD")
    sample_dir: Path = SAMPLE_DATA_DIR
    # LadybugDB's workers and connections (see graph_api/store/ladybug_pool.py for the measurements)
    pool_max_threads: int = Field(6, ge=1)
    pool_readers: int = Field(8, ge=1)
    pool_analysts: int = Field(2, ge=1)

    # ---- the HTTP service
    base_iri: str = DEFAULT_BASE_IRI
    cors_origins: Annotated[tuple[str, ...], NoDecode] = ()
    max_body_bytes: int = Field(MiB, ge=1)
    rate_limit: float = Field(100.0, ge=0, description="requests per second per client; 0 switches it off")
    rate_burst: int = Field(200, ge=1)

    # where `copgraph query|cypher|export` find the running server when it holds the database file; unset:
    # the address the server announced beside the file, else http://127.0.0.1:8000 (commands/server_address.py)
    server_url: str | None = None

    # ---- writes: LadybugDB aborts the whole process (SIGABRT) when its log cannot be written at COMMIT
    # (disk full); a write therefore starts only with this much free space (0 turns the check off)
    write_reserve_mb: int = Field(64, ge=0, description="free disk space (MiB) a write needs before it starts")

    # ---- time and size limits of reads
    graphql_timeout_ms: int = Field(10_000, ge=0)
    query_timeout_ms: int = Field(10_000, ge=1, description="analysts' queries (/cypher, named queries)")
    query_max_rows: int = Field(1_000, ge=1)
    # how the processes running untrusted queries (analysts' Cypher, SPARQL) rank for the CPU against the server:
    # normal, low (niceness 19) or idle (only CPU time nothing else wants), so that their queries cannot starve
    # the GraphQL readers (sandbox/priority.py)
    query_worker_priority: WorkerPriority = "idle"

    # ---- who may write and see restricted data: every token the service accepts, in one place
    api_token: SecretStr | None = None
    api_tokens: Annotated[dict[str, SecretStr], NoDecode] = Field(
        default_factory=dict, description="named tokens, 'name=token,name2=token2'; the name is recorded as who "
                                          "changed what (the single COPGRAPH_API_TOKEN is named 'api-token')")

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:  # noqa: ANN401 - whatever the source gave
        if isinstance(value, str):
            return tuple(o.strip() for o in value.split(",") if o.strip())
        return value

    @field_validator("base_iri")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        return value if value.endswith("/") else value + "/"

    @field_validator("api_token", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:  # noqa: ANN401
        return value or None

    @field_validator("api_tokens", mode="before")
    @classmethod
    def _named_tokens(cls, value: Any) -> Any:  # noqa: ANN401 - whatever the source gave
        if not isinstance(value, str):
            return value
        named: dict[str, str] = {}
        for pair in (p.strip() for p in value.split(",") if p.strip()):
            name, sep, secret = (part.strip() for part in pair.partition("="))
            if not sep or not _TOKEN_NAME.match(name) or not secret:
                raise ValueError(f"COPGRAPH_API_TOKENS: '{name or pair[:20]}' is not name=token "
                                 "(name: letters, digits, '.', '_', '-'; token not empty)")
            if name in named:
                raise ValueError(f"COPGRAPH_API_TOKENS: the name '{name}' is given twice")
            if secret in named.values():
                raise ValueError(f"COPGRAPH_API_TOKENS: '{name}' has the same token as another name")
            named[name] = secret
        return named

    def tokens(self) -> dict[str, str]:
        """Token name -> secret, for every token that opens the protected doors."""
        named = {name: secret.get_secret_value() for name, secret in self.api_tokens.items()}
        if self.api_token:
            named[API_TOKEN_NAME] = self.api_token.get_secret_value()
        return named

    def with_overrides(self, **changes: object) -> Settings:
        """A copy with the given fields changed (None leaves a field as it is: an unset CLI flag)."""
        given = {k: v for k, v in changes.items() if v is not None}
        return type(self).model_validate({**self.model_dump(), **given}) if given else self


# The environment variables the service reads; docker-compose.yml is checked against this list.
ENVIRONMENT_VARIABLES = tuple(
    (field.validation_alias if isinstance(field.validation_alias, str) else f"COPGRAPH_{name.upper()}")
    for name, field in Settings.model_fields.items())
