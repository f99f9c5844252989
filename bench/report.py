"""Results on disk: one JSON per run, a summary JSON, `RESULTS.md` tables and a latency-vs-size chart.

Targets are recorded next to the measurements (met / missed), never asserted: a slow CI machine
must not fail the build, and a missed target is a finding to report, not a test failure.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from graph_api.config import PROJECT_ROOT

# name -> (description, how to read the value from the results, comparison, threshold)
TARGETS: list[tuple[str, str, str, float]] = [
    ("graphql_overhead", "GraphQL overhead ≤ 1.3× raw store query (median over the 7 requests, largest scale)",
     "<=", 1.3),
    ("single_entity_p50_ms", "single-entity GraphQL p50 < 10 ms (municipality by key, largest scale)", "<", 10.0),
    ("contact_paths_p50_ms", "contactPaths p50 < 100 ms at Germany scale", "<", 100.0),
    ("territory_load_s", "full-Germany territorial load < 10 s", "<", 10.0),
    ("generated_rows_per_s", "generated bulk load ≥ 50,000 rows/s (entities + edges, largest scale)", ">=", 50_000),
    ("ntriples_per_s", "N-Triples export ≥ 1,000,000 triples/s (streamed from the store, largest scale)", ">=",
     1_000_000),
]


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                                text=True, check=False, timeout=10).stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        commit = None
    versions = {}
    for package in ("ladybug", "strawberry-graphql", "fastapi", "rdflib", "neo4j"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"), "platform": platform.platform(),
            "python": platform.python_version(), "cpu": cpu, "cores": os.cpu_count(), "memory_gib": memory_gib,
            "commit": commit, "versions": versions}


def _largest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return max(runs, key=lambda r: r["load"]["all"]["rows"])


def evaluate(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target with the value measured on the largest scale run (Germany when it was run)."""
    if not runs:
        return []
    big = _largest(runs)
    germany = next((r for r in runs if r["scale"] == "germany"), None)
    overheads = sorted(c["overhead_p50"] for c in big["graphql"].values() if "overhead_p50" in c)
    values: dict[str, float | None] = {
        "graphql_overhead": overheads[len(overheads) // 2] if overheads else None,
        "single_entity_p50_ms": big["graphql"].get("municipality_by_key", {}).get("graphql", {}).get("p50_ms"),
        "contact_paths_p50_ms": (germany or {}).get("graphql", {}).get("contact_paths_maxhops4", {})
        .get("graphql", {}).get("p50_ms"),
        "territory_load_s": (germany or {}).get("load", {}).get("territory", {}).get("seconds"),
        "generated_rows_per_s": big["load"]["generated"]["rows_per_s"],
        "ntriples_per_s": big.get("rdf", {}).get("streamed", {}).get("nt", {}).get("triples_per_s"),
    }
    out = []
    for name, text, op, threshold in TARGETS:
        value = values.get(name)
        met = None if value is None else (value <= threshold if op == "<=" else value < threshold if op == "<"
                                          else value >= threshold)
        out.append({"target": name, "description": text, "value": value, "threshold": threshold, "met": met,
                    "measured_on": big["scale"] if name not in ("contact_paths_p50_ms", "territory_load_s")
                    else "germany"})
    return out


def read_baseline(folder: Path) -> dict[str, Any]:
    """Results of an earlier run (its results/ folder or the folder holding it), to print before -> after."""
    results = folder / "results" if (folder / "results").is_dir() else folder
    runs = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(results.glob("*-*.json"))}
    summary_path = results / "summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.is_file() else {}
    return {"runs": runs, "machine": summary.get("machine", {})}


def write(runs: list[dict[str, Any]], out_dir: Path, *, chart: bool = True, notes: list[str] | None = None,
          baseline: dict[str, Any] | None = None) -> dict[str, Path]:
    """Write results/<scale>-<backend>.json, results/summary.json, RESULTS.md and the chart; return paths."""
    results = out_dir / "results"
    results.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for run in runs:
        path = results / f"{run['scale']}-{run['backend']}.json"
        path.write_text(json.dumps(run, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        paths[f"{run['scale']}-{run['backend']}"] = path
    summary = {"machine": machine(), "targets": evaluate(runs), "runs": [f"{r['scale']}-{r['backend']}" for r in runs],
               "notes": notes or []}
    paths["summary"] = results / "summary.json"
    paths["summary"].write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    chart_path = results / "latency_vs_size.png"
    chart_note = draw_chart(runs, chart_path) if chart else "chart disabled (--no-chart)"
    if chart_note is None:
        paths["chart"] = chart_path
    paths["markdown"] = out_dir / "RESULTS.md"
    text = markdown(runs, summary, chart_note)
    if baseline and baseline.get("runs"):
        text += before_after(runs, baseline)
    paths["markdown"].write_text(text, encoding="utf-8")
    return paths


def _fmt(value: Any, digits: int = 1) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(_fmt(v) for v in row) + " |" for row in rows]
    return lines + [""]


def markdown(runs: list[dict[str, Any]], summary: dict[str, Any], chart_note: str | None) -> str:
    m = summary["machine"]
    lines = ["# copgraph benchmark results", "",
             "Written by `python -m bench` (do not edit by hand). Data: the synthetic loader on the real GV100AD "
             "territory (tiny = county 13076, small = Land 13, germany = all), loaded through `Store.apply`.", "",
             f"- Date: {m['date']}, commit {m['commit']}",
             f"- Machine: {m['cpu']}, {m['cores']} cores, {m['memory_gib']} GiB RAM; {m['platform']}; "
             f"Python {m['python']}",
             "- Versions: " + ", ".join(f"{k} {v}" for k, v in m["versions"].items() if v), ""]
    for note in summary.get("notes", []):
        lines.append(f"- Note: {note}")
    lines += ["", "## Targets", ""]
    lines += _table(["target", "measured", "threshold", "met", "on"],
                    [[t["description"], t["value"], t["threshold"],
                      {True: "yes", False: "**no**", None: "not measured"}[t["met"]], t["measured_on"]]
                     for t in summary["targets"]])
    lines += ["## Load (rows/s and peak resident memory per phase)", ""]
    rows = []
    for r in runs:
        for name in ("territory", "entities", "edges"):
            p = r["load"][name]
            rows.append([f"{r['scale']} / {r['backend']}", name, p["rows"], p["seconds"], p["rows_per_s"],
                         p["peak_mib"]])
        rows.append([f"{r['scale']} / {r['backend']}", "generation (loader, in memory)", r["load"]["generate"]["rows"],
                     r["load"]["generate"]["seconds"], None, r["load"]["generate"]["peak_mib"]])
    lines += _table(["scale / backend", "phase", "rows", "seconds", "rows/s", "peak MiB"], rows)
    lines += ["Graph sizes:", ""]
    lines += _table(["scale", "nodes", "relationships", "KNOWS", "Adoption", "Actor"],
                    [[r["scale"], sum(v for k, v in r["counts"].items() if not k.isupper()),
                      sum(v for k, v in r["counts"].items() if k.isupper()), r["counts"].get("KNOWS"),
                      r["counts"].get("Adoption"), r["counts"].get("Actor")] for r in runs])
    for r in runs:
        lines += [f"## GraphQL latency, {r['scale']} / {r['backend']} (ms; overhead = GraphQL p50 / raw p50)", ""]
        rows = []
        for name, c in r["graphql"].items():
            if "error" in c:
                rows.append([name, "error: " + c["error"], None, None, None, None, None])
                continue
            g, raw = c["graphql"], c["raw"]
            rows.append([name, g["p50_ms"], g["p95_ms"], g["p99_ms"], raw["p50_ms"], raw["p95_ms"],
                         f"{c['overhead_p50']:.2f}×"])
        lines += _table(["request", "p50", "p95", "p99", "raw p50", "raw p95", "overhead"], rows)
    lines += ["## Cost growth (p50 ms by graph size)", ""]
    names = list(runs[0]["graphql"]) if runs else []
    header = ["request"] + [f"{r['scale']} ({r['load']['all']['rows']:,} rows)" for r in runs]
    growth = [[f"GraphQL {n}"] + [r["graphql"].get(n, {}).get("graphql", {}).get("p50_ms") for r in runs]
              for n in names]
    growth += [[f"raw {n}"] + [r["graphql"].get(n, {}).get("raw", {}).get("p50_ms") for r in runs] for n in names]
    named = sorted({q for r in runs for q in (r["named_queries"].get("queries") or {})})
    growth += [[f"named {q}"] + [(r["named_queries"].get("queries") or {}).get(q, {}).get("p50_ms") for r in runs]
               for q in named]
    lines += _table(header, growth)
    lines += ["## Named analyst queries (`queries/*.cypher`, read-only path, ms)", ""]
    for r in runs:
        nq = r["named_queries"]
        if not nq.get("available"):
            lines += [f"- {r['scale']}: {nq.get('note')}", ""]
            continue
        lines += [f"{r['scale']} / {r['backend']}:", ""]
        lines += _table(["query", "p50", "p95", "p99", "rows"],
                        [[q, v.get("p50_ms"), v.get("p95_ms"), v.get("p99_ms"),
                          v.get("rows", v.get("error") or v.get("skipped"))] for q, v in nq["queries"].items()])
    lines += ["## RDF export", ""]
    for r in runs:
        rdf = r["rdf"]
        if not rdf.get("available"):
            lines += [f"- {r['scale']}: {rdf.get('note')}", ""]
            continue
        lines += [f"{r['scale']} / {r['backend']}: whole store streamed ({rdf['streamed']['nt']['triples']:,} "
                  "triples); own writers vs rdflib on the first "
                  f"{rdf['vs_rdflib']['triples']:,} triples (same blocks, rdflib needs its in-memory graph).", ""]
        rows = [[f"streamed {fmt}", s["triples_per_s"], s["seconds"], s["peak_growth_mib"]]
                for fmt, s in rdf["streamed"].items()]
        rows += [[name, v["triples_per_s"], v["seconds"], v["peak_growth_mib"]]
                 for name, v in rdf["vs_rdflib"].items() if isinstance(v, dict)]
        lines += _table(["serialiser", "triples/s", "seconds", "peak growth MiB"], rows)
    lines += ["## Chart", ""]
    lines += ["![GraphQL p50 latency vs graph size](results/latency_vs_size.png)" if chart_note is None
              else f"No chart: {chart_note}", ""]
    return "\n".join(lines)


def draw_chart(runs: list[dict[str, Any]], path: Path) -> str | None:
    """p50 latency of each GraphQL request against the number of rows loaded; None when drawn."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not installed (pip install -e '.[bench]')"
    ordered = sorted(runs, key=lambda r: r["load"]["all"]["rows"])
    if not ordered:
        return "no runs"
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    sizes = [r["load"]["all"]["rows"] for r in ordered]
    for name in ordered[0]["graphql"]:
        values = [r["graphql"].get(name, {}).get("graphql", {}).get("p50_ms") for r in ordered]
        if all(v is not None for v in values):
            ax.plot(sizes, values, marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("rows loaded (nodes + relationships)")
    ax.set_ylabel("GraphQL p50 latency (ms)")
    ax.set_title("copgraph: latency vs graph size (" + ", ".join(r["scale"] for r in ordered) + ")")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return None


def before_after(runs: list[dict[str, Any]], baseline: dict[str, Any]) -> str:
    """p50 latencies and load rates of this run beside the baseline run (same scales and backends)."""
    m = baseline.get("machine", {})
    lines = ["", f"## Before → after (baseline: commit {m.get('commit')}, {m.get('date')})", ""]
    rows = []
    for run in runs:
        before = baseline["runs"].get(f"{run['scale']}-{run['backend']}")
        if not before:
            continue
        for phase in ("territory", "entities", "edges"):
            rows.append([run["scale"], f"load {phase} (rows/s)", before["load"][phase]["rows_per_s"],
                         run["load"][phase]["rows_per_s"]])
        for name, case in run["graphql"].items():
            old = before["graphql"].get(name, {}).get("graphql", {}).get("p50_ms")
            rows.append([run["scale"], f"GraphQL {name} (p50 ms)", old, case.get("graphql", {}).get("p50_ms")])
    lines += _table(["scale", "measure", "before", "after"], rows)
    return "\n".join(lines)
