"""publiccode.yml (version 0) in and out: a validator that gives the reference parser's verdicts,
the import into copgraph's graph and the export of a software solution.

* `yaml_ast`  – the YAML text as a tree that keeps each key's and value's line and column
* `schema`    – the fields of publiccode.yml v0 and the rule of each (the standard's `schema.core.rst`)
* `checks`    – the value rules (URLs, dates, SPDX licences, BCP 47 tags, countries, ...)
* `validate`  – the two passes of the reference parser: decoding into typed fields, then the rules
"""
