"""The periodic jobs an operator schedules (docs/operators.md)."""
