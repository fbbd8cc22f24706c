"""Services: plain functions that take a ``Session`` first and return plain data.

The caller owns the transaction (see ``tracker.context.Context.session``).
"""
