"""Developer tools (example generator, benchmark, pictures): never imported by pipeline/."""
