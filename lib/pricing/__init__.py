"""Retail pricing: TSP formulas, scoped rules, rounding, guard rails, previews and versions.

Modules, by what finance staff work with:

- ``formula``: the formula language (tokenizer, parser, ``FormulaError`` with a column)
- ``tree``: the parsed formula's nodes and its canonical text
- ``evaluate``: vectorised evaluation of a parsed formula over whole columns
- ``rules``: company, category, supplier and product rules; the most specific wins
- ``rounding``, ``guard_rails``: the last step and the checks on its result
- ``plan``: rules + rounding + guard rails, what a version saves
- ``products``: the catalog snapshot as a DataFrame
- ``price_list``: a plan applied to the catalog; ``preview``, ``compare``: what changes
- ``api_formula``: PleasureStock's own formula against ours
- ``versions``: saving, listing and restoring versions, with the audit log

Nothing is imported here, so ``lib.db`` can use the plan types without an import cycle.
"""
