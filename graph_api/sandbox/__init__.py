"""Untrusted reads in worker processes, so that a query that crashes the engine cannot end the service."""

from graph_api.sandbox.supervisor import QueryCrashed, QueryWorkers, QueryWorkersBusy, runner_for

__all__ = ["QueryCrashed", "QueryWorkers", "QueryWorkersBusy", "runner_for"]
