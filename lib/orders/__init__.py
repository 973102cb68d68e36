"""Purchase orders: the status workflow, money totals, history and status changes, webhooks."""
