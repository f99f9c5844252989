"""The mission questions of copgraph, each defined once.

`definitions` says what counts (contact edges, hop limits, adoption statuses, when an
association's or county's adoption covers its members, which award is the seal); the other
modules are pure analytics over rows read by `graph_api.store.mission_reads`, and `answers`
puts the two together. GraphQL, the named queries and `docs/mission.md` all read from here.
"""
