"""Sales upload: from a shop's CSV or Excel export to PleasureStock, exactly once.

reading     the file as text cells with line numbers (encoding, delimiter, blank lines)
formats     date orders and decimal marks: guessed, confirmed when ambiguous, parsed
mapping     which column is the product, date, quantity, stock and warehouse
products    SKU / ps id / UUID → ps id through the catalog snapshot
validation  every bad row with line, column, value and reason; the good rows
ledger      warehouses summed per product and day, compared with what was sent
upload      an upload opened: planned against the ledger, stored as pending batches
sending     batches sent one by one, each stored before and after its request, resume
resolution  a person's decisions: unknown batch stored or sent again, the rest cancelled
history     the upload history, read and as tables
"""
