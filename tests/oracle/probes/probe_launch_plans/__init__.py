"""Launch plans, one option per plan: inputs, schedules, notifications, options."""
