"""The command-line front ends: the CLI, the runner, the offline console and the export."""
