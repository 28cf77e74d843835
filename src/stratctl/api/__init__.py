"""The use cases: one module per thing a user asks stratctl to do, orchestrating the floors below.

A command-line command parses its options, calls one function here, and prints what it returns;
nothing below this floor reads git for a command, validates a repository or opens a write plan
on its own account (docs/architecture.md).
"""
