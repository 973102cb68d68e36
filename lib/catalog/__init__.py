"""The catalog: sync from PleasureStock, the table with TCC/TSP in lira, filters, data
quality, supplier names."""
