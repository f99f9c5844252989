"""copgraph's benchmark suite: `python -m bench` (see bench/RESULTS.md for the latest numbers).

Data comes from the synthetic loader (`bench/synthetic.py`) on the real GV100AD territory and is
written through the same `Store.apply` every source uses, so the numbers are those of the product.
"""
