"""The lab: drive registries from their login contracts (log in, push, compare, check)."""
