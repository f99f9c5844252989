# The copgraph image: the wheel, installed (not the source tree), running as an unprivileged user.
# docker-compose.yml runs it twice: once as the one-shot `load`, then as the `api`.

# --- build: the same wheel `.ci/run` tests (setup.py maps loaders/, queries/, ... into graph_api)
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml setup.py README.md ./
COPY graph_api ./graph_api
COPY loaders ./loaders
COPY queries ./queries
COPY ontology ./ontology
COPY data/sample ./data/sample
RUN pip wheel --no-cache-dir --no-deps --wheel-dir /wheels .

# --- run
FROM python:3.11-slim
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels \
  && useradd --create-home --uid 10001 copgraph
# the bundled sample as plain folders, so `copgraph load curated|oparl PATH` can name them
COPY data/sample /app/data/sample
USER copgraph
WORKDIR /home/copgraph
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["copgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
