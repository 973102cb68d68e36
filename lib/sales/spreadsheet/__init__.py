"""The first sheet of an .xlsx workbook, read as a stream and within limits.

An .xlsx file is a zip of XML parts, and both layers can lie: 1.5 KB can declare (or hold
one value at) XFD1048576, the last cell a sheet has, and 1 MB of zip can unpack to
gigabytes of whitespace. So nothing is sized from what the file declares. Before a part
is unpacked its declared size and compression ratio are checked; it is then unpacked in
chunks that are counted; and the sheet is parsed as a stream that keeps only the cells
holding a value, stopping at the first one past the row, column or table limit. Memory
follows the cells actually kept, never the ``<dimension>`` the sheet declares.

Cells come back as the text a CSV export would hold: dates ISO (from the cell's number
format, as Excel shows them), whole numbers without ``.0``, booleans ``True``/``False``.

limits      how much is read (``FileLimits``), ``SpreadsheetError`` and its messages
package     the zip: part count, declared and counted sizes, ratios; expat without DTDs
workbook    the first sheet's part, date epoch, date styles and shared texts
cells_fast  the sheet's valued cells, vectorised, for the layout Excel writes
cells_xml   the sheet's valued cells, tag by tag with expat, for any other layout
values      a cell's text as a CSV export would hold it
sheet       ``read_first_sheet``: the cells laid out under the header row as a ``Sheet``
"""

from lib.sales.spreadsheet.limits import DEFAULT_LIMITS, FileLimits, SpreadsheetError
from lib.sales.spreadsheet.sheet import Sheet, read_first_sheet

__all__ = ["DEFAULT_LIMITS", "FileLimits", "Sheet", "SpreadsheetError", "read_first_sheet"]
