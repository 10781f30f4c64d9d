"""Import of member lists (XLSX or CSV): read, check every row, preview, then apply.

``plan_import`` reads the file and decides per row what would happen
(create, update, unchanged, reject with the column and the reason) without
writing anything; ``apply_import`` plans again against the current rows and
writes the creates and updates in one transaction, so importing the same
file twice changes nothing the second time.
"""

from .planning import ImportResult, Planner, RowPlan, apply_import, plan_import
from .reading import MAX_ROWS, Cell, ImportProblem, read_rows

__all__ = [
    "MAX_ROWS",
    "Cell",
    "ImportProblem",
    "ImportResult",
    "Planner",
    "RowPlan",
    "apply_import",
    "plan_import",
    "read_rows",
]
