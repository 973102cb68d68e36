"""Who may do what: the permission table (policy) and the roles kept in StockDesk."""
