# The copgraph API service image (used by docker-compose.yml with Neo4j as the store).
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY graph_api ./graph_api
COPY loaders ./loaders
COPY ontology ./ontology
COPY queries ./queries
COPY data ./data
RUN pip install --no-cache-dir .
ENV COPGRAPH_SAMPLE_DIR=/app/data/sample
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')"
CMD ["copgraph", "serve", "--host", "0.0.0.0", "--port", "8000"]
