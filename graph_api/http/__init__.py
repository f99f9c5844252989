"""HTTP routers of the service, one module per resource (see `graph_api.app.ROUTERS`)."""
